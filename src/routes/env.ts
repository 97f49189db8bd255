import type { Actor } from '../context.ts';
import type { Deps } from '../deps.ts';

/** Hono context typing shared by every route module. */
export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    actor: Actor;
  };
}
