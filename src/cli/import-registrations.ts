/**
 * Bulk import of an existing index (`import registrations FILE.csv`, ADR 0016). Node and
 * SQLite only: it streams the file, checks every line (src/import/rows.ts), pseudonymises
 * with the app's key (the same HMAC-SHA-256 as src/identity/pseudonymizer.ts, computed with
 * node:crypto's synchronous HMAC), and writes batches of lines in one transaction each with
 * prepared statements: the registrations (`ON CONFLICT DO NOTHING` on the unique active
 * (subject, professional) index, so a re-run skips what is there), the statistics counters
 * and one audit event per batch. After each batch the matches the lines imply are made
 * through the normal decide-and-guard path (src/import/matches.ts).
 *
 * Resumable: a crash loses at most the open batch; running the same file again imports the
 * rest, counts the rest as duplicates, and completes the matches of every subject in it.
 */
import { createReadStream, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { createHmac, createSecretKey } from 'node:crypto';
import type Database from 'better-sqlite3';
import { auditStatement } from '../audit/audit.ts';
import type { Ctx } from '../context.ts';
import type { Statement } from '../db/types.ts';
import { CsvError, CsvReader } from '../import/csv.ts';
import { applyImportMatches } from '../import/matches.ts';
import { createRowChecker, type ImportRow, isRejection, type Layout, readHeader, readProfessionals, type Rejection } from '../import/rows.ts';
import { timeOrderedId } from '../identity/ids.ts';
import { isoDate } from '../lib/dates.ts';
import { UsageError } from './command.ts';

export interface ImportOptions {
  file: string;
  /** Queue the match mails (the outbox sends them); without it the matches are made silently. */
  notify: boolean;
  /** Lines per transaction. */
  batchSize: number;
  /** Also write every rejection to this CSV file (line, field, reason). */
  errorsFile?: string;
  /** Rejections kept for the summary. */
  rejectedCap?: number;
}

export interface ImportSummary {
  read: number;
  imported: number;
  duplicates: number;
  rejectedCount: number;
  /** The first `rejectedCap` rejections, in line order. */
  rejected: Rejection[];
  matches: { created: number; joined: number };
  mailsQueued: number;
  batches: number;
  /** Milliseconds spent reading and checking lines, writing batches (HMAC included), and on matches (finding the subjects, reading and deciding, writing the units). */
  timings: { check: number; write: number; matches: number; matchesFind: number; matchesDecide: number; matchesWrite: number };
}

const REGISTERED_METRIC = 'registrations';
/** 2^27 bits: at a million subjects, under 1 % of first-time subjects collide and are checked in SQL anyway. */
const MAYBE_BITS = 27;

/** The SQLite connection of the CLI's deps (createNodeDeps); absent on D1. */
function sqliteOf(ctx: Ctx): Database.Database {
  const database = (ctx.deps as { database?: { sqlite?: Database.Database } }).database;
  if (!database?.sqlite) {
    throw new UsageError(
      'import registrations runs on the SQLite database only (not on --d1-local or --d1-remote): import into SQLite, or register through the API.',
    );
  }
  return database.sqlite;
}

/**
 * Runs one of the app's statements inside our own transaction, as the Node `atomic` does:
 * a statement bound in advance (sql + params) or a drizzle query (synchronous on better-sqlite3).
 */
function runNow(sqlite: Database.Database, statement: Statement): void {
  const s = statement as unknown as { sql?: unknown; params?: unknown; run?: () => unknown };
  if (typeof s.sql === 'string' && Array.isArray(s.params)) sqlite.prepare(s.sql).run(...s.params);
  else if (typeof s.run === 'function') s.run();
  else throw new Error('import: cannot run the audit statement');
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function importRegistrations(ctx: Ctx, options: ImportOptions): Promise<ImportSummary> {
  const sqlite = sqliteOf(ctx);
  const { config, clock, pseudonymizer } = ctx.deps;
  const cap = options.rejectedCap ?? 1000;

  // The app's pseudonym, computed synchronously: checked once against the pseudonymizer itself.
  const secret = createSecretKey(Buffer.from(config.PSEUDONYM_KEY!));
  const hmac = (bsn: string) => createHmac('sha256', secret).update(bsn).digest();
  const probe = await pseudonymizer.pseudonymize('123456782');
  if (!hmac('123456782').equals(Buffer.from(probe.bytes)) || probe.keyId !== config.PSEUDONYM_KEY_ID) {
    throw new Error('import HMAC differs from the pseudonymizer');
  }

  const professionals = await readProfessionals(ctx.deps.db);
  const now = clock.now();
  const today = isoDate(now);

  // A bulk loader's page cache on this connection only (the CLI's own): a batch's dirty pages stay in memory.
  sqlite.pragma('cache_size = -262144');
  // Each batch durable at its COMMIT (the WAL synced): the group commit syncs only its own
  // units (src/db/node.ts), and a reported "imported" must survive a power cut. Ten syncs
  // for a million lines; restored at the end.
  const synchronous = sqlite.pragma('synchronous', { simple: true }) as number;
  sqlite.pragma('synchronous = FULL');
  const insert = sqlite.prepare(
    `INSERT INTO registrations
       (id, subject_pseudonym, key_id, organisation_id, professional_id, reference, status, registered_at, ends_on, ends_because, age_limit_month, inform_whom, inform_reminded_at)
     VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const count = sqlite.prepare(
    `INSERT INTO statistics_counters (month, sector, metric, bucket, count) VALUES (?, ?, '${REGISTERED_METRIC}', 0, ?)
     ON CONFLICT (month, sector, metric, bucket) DO UPDATE SET count = count + excluded.count`,
  );
  // A subject needs its match seen to when one of its active registrations (of an active
  // organisation) is not a member of its open match, and there is an open match or the
  // registrations span two organisations (decideOnRegister's rule).
  const needsMatch = sqlite.prepare(
    `SELECT (count(DISTINCT r.organisation_id) >= 2 OR EXISTS (SELECT 1 FROM matches WHERE subject_pseudonym = :subject AND status = 'open'))
            AND sum(NOT EXISTS (SELECT 1 FROM match_members m JOIN matches x ON x.id = m.match_id
                                WHERE m.registration_id = r.id AND m.left_at IS NULL AND x.status = 'open')) > 0 AS needed
       FROM registrations r JOIN organisations o ON o.id = r.organisation_id
      WHERE r.subject_pseudonym = :subject AND r.status = 'active' AND o.active = 1`,
  );
  needsMatch.pluck();
  const severalActive = sqlite
    .prepare(`SELECT count(*) >= 2 FROM (SELECT 1 FROM registrations WHERE subject_pseudonym = ? AND status = 'active' LIMIT 2)`)
    .pluck();

  // Which subjects may have another active registration, without asking SQLite for each of a
  // million lines: a bitmap over the pseudonyms' first bits (16 MiB), filled with the active
  // registrations already there and with every line imported. A subject whose bit is clear
  // has no other registration; a set bit (or a collision) is checked in SQL.
  const maybe = new Uint8Array(1 << (MAYBE_BITS - 3));
  const slot = (pseudonym: Buffer) => pseudonym.readUInt32BE(0) >>> (32 - MAYBE_BITS);
  const mark = (pseudonym: Buffer): boolean => {
    const bit = slot(pseudonym);
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    const was = (maybe[byte]! & mask) !== 0;
    maybe[byte] = maybe[byte]! | mask;
    return was;
  };
  for (const pseudonym of sqlite.prepare(`SELECT subject_pseudonym FROM registrations WHERE status = 'active'`).pluck().iterate()) mark(pseudonym as Buffer);

  const summary: ImportSummary = {
    read: 0,
    imported: 0,
    duplicates: 0,
    rejectedCount: 0,
    rejected: [],
    matches: { created: 0, joined: 0 },
    mailsQueued: 0,
    batches: 0,
    timings: { check: 0, write: 0, matches: 0, matchesFind: 0, matchesDecide: 0, matchesWrite: 0 },
  };

  let errors: WriteStream | null = null;
  let errorsFailed: Error | null = null;
  if (options.errorsFile) {
    let fd: number;
    try {
      fd = openSync(options.errorsFile, 'w', 0o600); // at once: a wrong path fails before anything is imported
    } catch (error) {
      throw new UsageError(`--errors ${options.errorsFile}: cannot write it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    errors = createWriteStream(options.errorsFile, { fd, encoding: 'utf8' });
    errors.on('error', (error) => {
      errorsFailed = error;
    });
    errors.write('line,field,reason\n');
  }
  /** Waits for the errors file to take what was written; fails the import if it cannot be written. */
  const errorsWritten = async () => {
    if (errors?.writableNeedDrain && !errorsFailed) await new Promise<void>((resolve) => errors.once('drain', () => resolve()).once('error', () => resolve()));
    if (errorsFailed) throw new UsageError(`--errors ${options.errorsFile}: cannot write it (${(errorsFailed as NodeJS.ErrnoException).code ?? 'error'})`);
  };
  const reject = (rejection: Rejection) => {
    summary.rejectedCount++;
    if (summary.rejected.length < cap) summary.rejected.push(rejection);
    errors?.write(`${rejection.line},${csvField(rejection.field)},${csvField(rejection.reason)}\n`);
  };

  // One batch = one transaction: its registrations, their counts and its audit event.
  const writeBatch = sqlite.transaction((rows: ImportRow[], pseudonyms: Buffer[], batch: { first: number; last: number; rejected: number }) => {
    const counts = new Map<string, number>();
    let imported = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const { professional, term } = row;
      const changes = insert.run(
        // Time-ordered as the register verb's (src/identity/ids.ts): appended to the id index.
        timeOrderedId(),
        pseudonyms[i]!,
        config.PSEUDONYM_KEY_ID,
        professional.organisationId,
        professional.id,
        row.reference,
        row.registeredAt.getTime(),
        term.endsOn,
        term.endsBecause,
        term.ageLimitMonth,
        term.informWhom,
        // The index it comes from saw to informing: no "not yet informed" reminder for each of
        // a million imported lines (the job sends it once per registration).
        now.getTime(),
      ).changes;
      if (changes === 0) continue;
      imported++;
      const month = row.registeredOn.slice(0, 7);
      for (const key of [`${month}|${professional.sector}`, `${month}|all`]) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      const [month, sector] = key.split('|') as [string, string];
      count.run(month, sector, n);
    }
    const audit = auditStatement(ctx, {
      action: 'registration.import',
      outcome: 'success',
      detail: {
        firstLine: batch.first,
        lastLine: batch.last,
        lines: rows.length + batch.rejected,
        imported,
        duplicates: rows.length - imported,
        rejected: batch.rejected,
        notify: options.notify,
      },
    });
    runNow(sqlite, audit);
    return imported;
  });

  let rows: ImportRow[] = [];
  let batchFirst = 0;
  let batchLast = 0;
  let batchRejected = 0;

  const completeMatches = async (candidates: Buffer[]) => {
    const finding = performance.now();
    const seen = new Set<string>();
    const subjects: Buffer[] = [];
    for (const pseudonym of candidates) {
      const key = pseudonym.toString('base64');
      if (seen.has(key)) continue;
      seen.add(key);
      if (severalActive.get(pseudonym) === 1 && needsMatch.get({ subject: pseudonym }) === 1) subjects.push(pseudonym);
    }
    summary.timings.matchesFind += performance.now() - finding;
    if (subjects.length === 0) return;
    const matched = await applyImportMatches(ctx, subjects, options.notify);
    summary.timings.matchesDecide += matched.decideMs;
    summary.timings.matchesWrite += matched.writeMs;
    summary.matches.created += matched.created;
    summary.matches.joined += matched.joined;
    summary.mailsQueued += matched.mailsQueued;
  };

  const flush = async () => {
    if (rows.length === 0 && batchRejected === 0) return;
    await errorsWritten();
    const writing = performance.now();
    const pseudonyms = rows.map((row) => hmac(row.bsn));
    for (const row of rows) row.bsn = ''; // dropped as soon as it is pseudonymised
    const imported = writeBatch.immediate(rows, pseudonyms, { first: batchFirst, last: batchLast, rejected: batchRejected });
    summary.imported += imported;
    summary.duplicates += rows.length - imported;
    summary.batches++;
    const matching = performance.now();
    summary.timings.write += matching - writing;
    // Every subject of the batch with more than this line, imported now or before (a resumed
    // run after a crash between a batch and its matches): its match is completed.
    const candidates: Buffer[] = [];
    for (const pseudonym of pseudonyms) if (mark(pseudonym)) candidates.push(pseudonym);
    await completeMatches(candidates);
    summary.timings.matches += performance.now() - matching;
    rows = [];
    batchFirst = 0;
    batchRejected = 0;
  };

  const reader = new CsvReader();
  let layout: Layout | null = null;
  let check: ReturnType<typeof createRowChecker> | null = null;
  const take = async (records: { line: number; fields: string[] }[]) => {
    let checking = performance.now();
    for (const record of records) {
      if (!layout) {
        try {
          layout = readHeader(record.fields);
        } catch (error) {
          throw new UsageError(`${options.file}: ${(error as Error).message}`);
        }
        check = createRowChecker({ today, now, termMonths: config.REGISTRATION_TERM_MONTHS, professionals, layout });
        continue;
      }
      summary.read++;
      if (batchFirst === 0) batchFirst = record.line;
      batchLast = record.line;
      const result = check!(record.line, record.fields);
      if (isRejection(result)) {
        reject(result);
        batchRejected++;
      } else rows.push(result);
      if (rows.length + batchRejected >= options.batchSize) {
        summary.timings.check += performance.now() - checking;
        await flush();
        checking = performance.now();
      }
    }
    summary.timings.check += performance.now() - checking;
  };

  try {
    const stream = createReadStream(options.file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream) await take(reader.push(chunk as string));
      await take(reader.end());
    } catch (error) {
      if (error instanceof CsvError) throw new UsageError(`${options.file}: ${error.message}`);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${options.file}: no such file`);
      throw error;
    } finally {
      stream.destroy();
    }
    if (!layout) throw new UsageError(`${options.file}: the file is empty (a header line is needed)`);
    await flush();
    // Registered through the API while the import ran: not in the bitmap, so seen to here.
    const sweeping = performance.now();
    // Per organisation, along registrations_org_idx (organisation, status, registered_at): no scan of every row.
    const since = sqlite.prepare(`SELECT subject_pseudonym FROM registrations WHERE organisation_id = ? AND status = 'active' AND registered_at >= ?`).pluck();
    const organisationIds = sqlite.prepare('SELECT id FROM organisations').pluck().all() as string[];
    await completeMatches(organisationIds.flatMap((id) => since.all(id, now.getTime()) as Buffer[]));
    summary.timings.matches += performance.now() - sweeping;
  } finally {
    sqlite.pragma(`synchronous = ${Number(synchronous)}`);
    if (errors && !errorsFailed) await new Promise<void>((resolve) => errors.end(() => resolve()));
    await errorsWritten();
  }
  return summary;
}
