// Types of the `cloudflare:test` module that vitest-pool-workers provides inside workerd.
/// <reference types="@cloudflare/vitest-pool-workers/types" />
declare namespace Cloudflare {
  interface Env {}
}
