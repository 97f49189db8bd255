import type { SessionInfo } from '../auth/sessions.ts';
import type { Actor } from '../context.ts';
import type { Deps } from '../deps.ts';

/** A logged-in professional's session, as the pages see it (the cookie value included). */
export interface WebSession extends SessionInfo {
  id: string;
}

/** Hono context typing shared by every route module. */
export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    actor: Actor;
    session: WebSession;
  };
}
