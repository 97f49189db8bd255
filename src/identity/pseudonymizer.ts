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

export function createPseudonymizer(key: { id: string; bytes: Uint8Array }): Pseudonymizer {
  const cryptoKey = crypto.subtle.importKey('raw', key.bytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const encoder = new TextEncoder();
  return {
    async pseudonymize(bsn) {
      const mac = await crypto.subtle.sign('HMAC', await cryptoKey, encoder.encode(bsn));
      return { keyId: key.id, bytes: new Uint8Array(mac) };
    },
  };
}
