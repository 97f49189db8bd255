import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../src/auth/api-token.ts';
import { nodeHmacBytes } from '../../src/entry/node-deps.ts';
import { createPseudonymizer } from '../../src/identity/pseudonymizer.ts';

const key = (byte: number) => ({ id: 'k1', bytes: new Uint8Array(32).fill(byte) });

describe('pseudonymizer', () => {
  it('is HMAC-SHA-256 of the normalised BSN under the configured key', async () => {
    const result = await createPseudonymizer(key(7)).pseudonymize('123456782');
    const expected = createHmac('sha256', Buffer.alloc(32, 7)).update('123456782').digest();
    expect(Buffer.from(result.bytes).equals(expected)).toBe(true);
    expect(result.keyId).toBe('k1');
  });

  it('is stable for one key and differs between keys', async () => {
    const a = await createPseudonymizer(key(1)).pseudonymize('123456782');
    const again = await createPseudonymizer(key(1)).pseudonymize('123456782');
    const other = await createPseudonymizer(key(2)).pseudonymize('123456782');
    expect(Buffer.from(a.bytes).equals(Buffer.from(again.bytes))).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(other.bytes))).toBe(false);
  });

  it('is not the plain (reversible) SHA-256 of the BSN', async () => {
    const result = await createPseudonymizer(key(1)).pseudonymize('123456782');
    expect(Buffer.from(result.bytes).equals(createHash('sha256').update('123456782').digest())).toBe(false);
  });

  it("gives the same pseudonym with Node's synchronous HMAC as with Web Crypto", async () => {
    for (const bsn of ['123456782', '111222333', '999999990']) {
      const web = await createPseudonymizer(key(9)).pseudonymize(bsn);
      const node = await createPseudonymizer(key(9), nodeHmacBytes).pseudonymize(bsn);
      expect(Buffer.from(node.bytes).equals(Buffer.from(web.bytes))).toBe(true);
      expect(node.keyId).toBe(web.keyId);
    }
  });
});

describe('API token hash', () => {
  it("is the same SHA-256 with a runtime's synchronous digest as with Web Crypto", async () => {
    const token = generateApiToken();
    const sync = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(await hashApiToken(token, sync)).toBe(await hashApiToken(token));
    expect(await hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
