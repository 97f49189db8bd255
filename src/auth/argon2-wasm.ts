/**
 * argon2id in WebAssembly for Workers, behind the same PasswordHasher port as Node's native
 * `argon2`: the same parameters and PHC strings, so a hash made on one runtime verifies on
 * the other. The entry passes the compiled module (Workers import .wasm as a module; code
 * generation at run time is not allowed there).
 */
import Argon2, { Argon2Type } from '@phi-ag/argon2';
import type { PasswordHasher } from '../deps.ts';
import { ARGON2_PARAMS, canonicalPhc } from './phc.ts';

export function createWasmHasher(module: WebAssembly.Module): PasswordHasher {
  let argon2: Argon2 | null = null;
  const instance = () => (argon2 ??= new Argon2(new WebAssembly.Instance(module)));
  return {
    async hash(password) {
      return instance().hash(password, { ...ARGON2_PARAMS, type: Argon2Type.Argon2id, hashLength: 32 }).encoded;
    },
    async verify(hash, password) {
      return instance().tryVerify(canonicalPhc(hash), password).success;
    },
  };
}
