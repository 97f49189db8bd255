import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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
});
