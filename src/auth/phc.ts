/**
 * PHC strings of argon2 hashes, as both runtimes write them. Node's `argon2` writes the
 * parameters as `m=…,p=…,t=…`, WASM implementations as `m=…,t=…,p=…`, and the WASM one we
 * use refuses the other order. Parameters are therefore parsed by name and re-encoded in
 * the canonical `m,t,p` order before verifying; the hash itself is untouched.
 */
export function canonicalPhc(encoded: string): string {
  const parts = encoded.split('$');
  // ['', 'argon2id', 'v=19', 'm=…,p=…,t=…', salt, hash]
  if (parts.length !== 6 || !parts[1]?.startsWith('argon2')) return encoded;
  const params = new Map(parts[3]!.split(',').map((kv) => kv.split('=') as [string, string]));
  const m = params.get('m');
  const t = params.get('t');
  const p = params.get('p');
  if (!m || !t || !p || params.size !== 3) return encoded;
  parts[3] = `m=${m},t=${t},p=${p}`;
  return parts.join('$');
}

/** OWASP's argon2id minimum, the same on both runtimes. */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
