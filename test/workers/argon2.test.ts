import argon2Wasm from '@phi-ag/argon2/argon2.wasm';
import { describe, expect, it } from 'vitest';
import { createWasmHasher } from '../../src/auth/argon2-wasm.ts';
import { NODE_HASH, PASSWORD } from '../support/argon2-fixtures.ts';

describe('argon2id in WASM inside workerd', () => {
  const hasher = createWasmHasher(argon2Wasm);

  it('verifies a hash made by Node’s native argon2', async () => {
    expect(await hasher.verify(NODE_HASH, PASSWORD)).toBe(true);
    expect(await hasher.verify(NODE_HASH, 'wrong')).toBe(false);
  });

  it('hashes with the same parameters and PHC format', async () => {
    const hash = await hasher.hash('een lang genoeg wachtwoord');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await hasher.verify(hash, 'een lang genoeg wachtwoord')).toBe(true);
    expect(await hasher.verify(hash, 'een ander wachtwoord')).toBe(false);
  });
});
