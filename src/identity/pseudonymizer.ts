/**
 * Keyed pseudonymisation of a BSN: HMAC-SHA-256 with a secret key that lives outside the
 * database (ADR 0002). A plain hash would be reversed by enumerating the ~10^8 valid BSNs.
 * Web Crypto only, so the same code runs on Node and on Workers.
 */
export interface Pseudonym {
  keyId: string;
  bytes: Uint8Array;
}

export interface Pseudonymizer {
  /** `bsn` must already be validated and normalised (9 digits). */
  pseudonymize(bsn: string): Promise<Pseudonym>;
}

/** A runtime's synchronous HMAC-SHA-256 of a message under a key, where it has one (Node). */
export type SyncHmacBytes = (key: Uint8Array, message: string) => Uint8Array;

/**
 * With `hmacSync` (Node) every pseudonym is computed at once: Web Crypto's promise and key
 * handling cost more than the HMAC itself on the registration path (issue 12). The result
 * is the same HMAC-SHA-256 either way (test/unit/pseudonymizer.test.ts).
 */
export function createPseudonymizer(key: { id: string; bytes: Uint8Array }, hmacSync?: SyncHmacBytes): Pseudonymizer {
  if (hmacSync) {
    return { pseudonymize: async (bsn) => ({ keyId: key.id, bytes: hmacSync(key.bytes, bsn) }) };
  }
  const cryptoKey = crypto.subtle.importKey('raw', key.bytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const encoder = new TextEncoder();
  return {
    async pseudonymize(bsn) {
      const mac = await crypto.subtle.sign('HMAC', await cryptoKey, encoder.encode(bsn));
      return { keyId: key.id, bytes: new Uint8Array(mac) };
    },
  };
}
