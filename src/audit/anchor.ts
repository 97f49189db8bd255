/**
 * Anchors: the audit chain's head (seq, chain MAC, time) written outside the database, so
 * deleting the tail or rewriting the chain after an anchor is detected (ADR 0009). Node
 * appends to a file (src/entry/node-deps.ts), Workers writes R2 objects (below).
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
  keyId: string | null;
  /** When the anchor was written (ISO 8601). */
  at: string;
}

export interface AnchorStore {
  /** Where anchors go, for messages (a path or a bucket name; never a secret). */
  readonly where: string;
  append(anchor: AuditAnchor): Promise<void>;
  latest(): Promise<AuditAnchor | null>;
}

export function parseAnchor(text: string): AuditAnchor | null {
  try {
    const value = JSON.parse(text) as Partial<AuditAnchor>;
    if (typeof value.seq !== 'number' || typeof value.hash !== 'string' || typeof value.at !== 'string') return null;
    return { seq: value.seq, hash: value.hash, keyId: typeof value.keyId === 'string' ? value.keyId : null, at: value.at };
  } catch {
    return null;
  }
}

/** The part of Workers' R2 binding the anchors use. */
export interface R2AnchorBucket {
  put(key: string, value: string, options?: { onlyIf?: unknown }): Promise<unknown>;
  get(key: string): Promise<{ text(): Promise<string> } | null>;
  list(options: { prefix: string; limit: number }): Promise<{ objects: { key: string }[] }>;
}

const PREFIX = 'audit-anchors/';
/** Newest first in R2's ascending key order: the key counts down with time. */
const keyFor = (at: Date) => `${PREFIX}${String(9_999_999_999_999 - at.getTime()).padStart(13, '0')}-${crypto.randomUUID()}.json`;

/** One object per anchor, never overwritten; with a bucket lock rule they cannot be deleted either. */
export function createR2AnchorStore(bucket: R2AnchorBucket, name = 'AUDIT_ANCHORS'): AnchorStore {
  return {
    where: `R2 bucket ${name}`,
    async append(anchor) {
      await bucket.put(keyFor(new Date(anchor.at)), JSON.stringify(anchor));
    },
    async latest() {
      const { objects } = await bucket.list({ prefix: PREFIX, limit: 1 });
      const first = objects[0];
      if (!first) return null;
      const object = await bucket.get(first.key);
      return object ? parseAnchor(await object.text()) : null;
    },
  };
}

/** No anchor store configured (e.g. a Worker without the R2 binding): anchoring fails loudly. */
export const missingAnchorStore: AnchorStore = {
  where: 'nowhere',
  append: async () => {
    throw new Error('no anchor store is configured (Workers: the AUDIT_ANCHORS R2 binding)');
  },
  latest: async () => null,
};
