/**
 * The audit trail's keys (ADR 0009): HMAC-SHA-256 through Web Crypto, so the same code runs
 * on Node and Workers. The current key MACs new rows; retired keys are kept only to verify
 * the rows they MACed. No key is ever stored in the database.
 */
export interface AuditKeyring {
  /** The id written with every new row (`key_id`). */
  readonly currentId: string;
  has(keyId: string): boolean;
  /** Hex HMAC-SHA-256 of `message` under the key `keyId`; throws for an unknown id. */
  mac(keyId: string, message: string): Promise<string>;
  /** The same MAC computed synchronously, where the runtime offers it (Node): see `createAuditKeyring`. */
  macSync?: (keyId: string, message: string) => string;
}

/** A synchronous HMAC-SHA-256 (hex) from the runtime, if it has one. */
export type SyncHmac = (key: Uint8Array, message: string) => string;

/**
 * `syncHmac` (Node's node:crypto, passed by the Node entry) lets audit statements carry
 * their MAC at once: on better-sqlite3 an await between a unit's read and its write widens
 * the window in which a concurrent unit invalidates its guard (ADR 0009). Same bytes as Web Crypto.
 */
export function createAuditKeyring(
  current: { id: string; bytes: Uint8Array },
  previous: { id: string; bytes: Uint8Array }[] = [],
  syncHmac?: SyncHmac,
): AuditKeyring {
  const raw = new Map<string, Uint8Array>();
  for (const key of previous) raw.set(key.id, key.bytes);
  raw.set(current.id, current.bytes);
  const imported = new Map<string, Promise<CryptoKey>>();
  const keyFor = (keyId: string) => {
    let key = imported.get(keyId);
    if (!key) {
      key = crypto.subtle.importKey('raw', rawKey(keyId) as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      imported.set(keyId, key);
    }
    return key;
  };
  const rawKey = (keyId: string) => {
    const bytes = raw.get(keyId);
    if (!bytes) throw new Error(`no audit key with id ${keyId}: add it to AUDIT_PREVIOUS_KEYS`);
    return bytes;
  };
  return {
    currentId: current.id,
    has: (keyId) => raw.has(keyId),
    ...(syncHmac ? { macSync: (keyId: string, message: string) => syncHmac(rawKey(keyId), message) } : {}),
    async mac(keyId, message) {
      // The synchronous HMAC where the runtime has one (Node): the same bytes without Web
      // Crypto's promise round trip, which was most of the sealing job's CPU.
      if (syncHmac) return syncHmac(rawKey(keyId), message);
      const signature = await crypto.subtle.sign('HMAC', await keyFor(keyId), new TextEncoder().encode(message));
      return toHex(signature);
    },
  };
}

export function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two MACs without an early exit on the first differing character. */
export function sameMac(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
