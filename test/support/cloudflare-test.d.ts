// Types of the `cloudflare:test` module that vitest-pool-workers provides inside workerd.
/// <reference types="@cloudflare/vitest-pool-workers/types" />
declare namespace Cloudflare {
  // biome-ignore lint/suspicious/noEmptyInterface: an interface, so the pool's own Env declaration merges with it
  interface Env {}
}
