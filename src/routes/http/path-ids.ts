/**
 * Record ids in paths (`/registrations/:id…`, `/matches/:id…`, on the API and the pages;
 * `/opvolging/:id…`, the match monitor's match).
 * Betrokken hands out random UUIDs only, so anything else in that place is not an id: it
 * may be a BSN typed into the address bar. Such a path is refused with 404 before it
 * reaches a verb, the audit trail or the log, and the access log never prints it.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_IN_PATH = /^(\/(?:api\/v1\/)?(?:registrations|matches|opvolging)\/)([^/]+)(.*)$/;
/** Page paths in the id's place that are pages, not ids. */
const PAGES = new Set(['new']);

/** The id a path names, or null when it names none; `valid` is false for anything but a UUID. */
export function pathId(path: string): { id: string; valid: boolean } | null {
  const match = ID_IN_PATH.exec(path);
  if (!match || PAGES.has(match[2]!)) return null;
  return { id: match[2]!, valid: UUID.test(match[2]!) };
}

/**
 * The path as the log may show it: a malformed id replaced by a marker, and any other
 * segment with eight or more digits that is not a UUID (a BSN anywhere in any path, known
 * or not, however cased or split) replaced too.
 */
export function loggablePath(path: string): string {
  const id = pathId(path);
  const masked = id && !id.valid ? path.replace(ID_IN_PATH, '$1:malformed$3') : path;
  return masked
    .split('/')
    .map((segment) => (UUID.test(segment) || (segment.match(/\d/g)?.length ?? 0) < 8 ? segment : ':redacted'))
    .join('/');
}
