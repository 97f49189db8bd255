import { describe, expect, it } from 'vitest';
import { canonicalPhc } from '../../src/auth/phc.ts';
import { argon2Hasher } from '../../src/entry/node-deps.ts';
import { NODE_HASH, PASSWORD, WASM_HASH } from '../support/argon2-fixtures.ts';

describe('argon2id on Node', () => {
  it('hashes with OWASP parameters and verifies', async () => {
    const hash = await argon2Hasher.hash('een lang genoeg wachtwoord');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2Hasher.verify(hash, 'een lang genoeg wachtwoord')).toBe(true);
    expect(await argon2Hasher.verify(hash, 'een ander wachtwoord')).toBe(false);
  });

  it('verifies a hash made by the WASM implementation Workers use', async () => {
    expect(await argon2Hasher.verify(WASM_HASH, PASSWORD)).toBe(true);
    expect(await argon2Hasher.verify(WASM_HASH, 'wrong')).toBe(false);
  });

  it('re-encodes parameters by name into the canonical m,t,p order, leaving the rest', () => {
    expect(canonicalPhc(NODE_HASH)).toBe(NODE_HASH.replace('m=19456,p=1,t=2', 'm=19456,t=2,p=1'));
    expect(canonicalPhc(WASM_HASH)).toBe(WASM_HASH);
    expect(canonicalPhc('not a hash')).toBe('not a hash');
  });
});
