import type { FlashValue } from '../auth/flash.ts';
import type { SessionInfo } from '../auth/sessions.ts';
import type { Actor, ReadAudits } from '../context.ts';
import type { Deps } from '../deps.ts';

/** A logged-in professional's session, as the pages see it (the cookie value included). */
export interface WebSession extends SessionInfo {
  id: string;
}

/** What the page frame shows of a failed audit chain check. */
export interface AuditAlert {
  id: string;
  at: Date;
  brokenAt: number | null;
}

/** Hono context typing shared by every route module. */
export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    actor: Actor;
    /** The request's audit events of reads and refusals, written in one unit at its end (src/app.ts). */
    reads: ReadAudits;
    session: WebSession;
    /** This request's one-time message (set by the POST before the redirect here), if any. */
    flash?: FlashValue;
    /** A failed audit chain check nobody acknowledged yet (src/routes/web/audit.tsx), for the banner. */
    auditAlert?: AuditAlert;
  };
}
