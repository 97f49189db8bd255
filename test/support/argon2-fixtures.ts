/**
 * Hashes of the same password made once on each runtime (parameters m=19456, t=2, p=1):
 * each side's tests verify the other side's hash, so a hash made on Node verifies on
 * Workers and the other way round.
 */
export const PASSWORD = 'correct horse battery staple';
/** Made by Node's native `argon2` (note its m,p,t parameter order). */
export const NODE_HASH = '$argon2id$v=19$m=19456,p=1,t=2$mWGCVLdzkqo+aD9mHmzAgw$KnjUuer80ufGgKi+ZAtATq9qBSmn/Dh6NDwXvzynv6Y';
/** Made by @phi-ag/argon2 (WASM), as on Workers. */
export const WASM_HASH = '$argon2id$v=19$m=19456,t=2,p=1$Q/uunfkyepC3rtrrTjLq4Q$EY9m3Rb0eB7m9JCZnQC24DX27jqzcmiPSqOCkH9I3Ik';
