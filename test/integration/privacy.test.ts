/**
 * The BSN must never reach the database (WAL included), a log line, an email or an error
 * response: not as digits, not as its (reversible) unkeyed SHA-256.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { auditEvents, registrations } from '../../src/db/schema.ts';
import { runJobs } from '../../src/jobs/run-jobs.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

const BSN = '249566758';
const needles = (() => {
  const sha = createHash('sha256').update(BSN).digest();
  const int = Buffer.alloc(4);
  int.writeUInt32BE(Number(BSN));
  return [
    { name: 'digits', bytes: Buffer.from(BSN) },
    { name: '8-digit form', bytes: Buffer.from(BSN.slice(1)) },
    { name: 'UTF-16 digits', bytes: Buffer.from(BSN, 'utf16le') },
    { name: 'sha256 raw', bytes: sha },
    { name: 'sha256 hex', bytes: Buffer.from(sha.toString('hex')) },
    { name: 'sha256 base64', bytes: Buffer.from(sha.toString('base64')) },
    { name: 'integer', bytes: int },
  ];
})();

function leaks(haystack: Buffer): string[] {
  return needles.filter((n) => haystack.includes(n.bytes)).map((n) => n.name);
}

let t: TestContext;
const output: string[] = [];
const responses: string[] = [];

beforeAll(async () => {
  // Capture everything the process prints, too.
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  t = await createTestContext({ mailer: 'configured', env: { LOG_LEVEL: 'debug' } });
});
afterAll(() => {
  vi.restoreAllMocks();
  t.close();
});

it('the scanner finds each form of the BSN it looks for', () => {
  for (const needle of needles) expect(leaks(Buffer.concat([Buffer.from('x'), needle.bytes, Buffer.from('y')]))).toContain(needle.name);
});

it('keeps the BSN out of the database files, logs, emails and error responses', async () => {
  const a = await t.organisation('education');
  const b = await t.organisation('youth_care');
  const pa = await a.professional();
  const pb = await b.professional();

  const send = async (body: string, headers = a.authHeaders) => {
    const response = await t.app.request('/api/v1/registrations', { method: 'POST', headers, body });
    responses.push(await response.text());
    return response.status;
  };
  expect(await send(JSON.stringify({ bsn: BSN, birthDate: '2012-01-01', professionalEmail: pa.email, criterionConfirmed: true }))).toBe(201);
  expect(await send(JSON.stringify({ bsn: BSN, birthDate: '2012-01-01', professionalEmail: pb.email, criterionConfirmed: true }), b.authHeaders)).toBe(201);
  // Error paths that carry the BSN in the request:
  expect(await send(`{"bsn":"${BSN}",`)).toBe(422); // malformed JSON
  expect(await send(JSON.stringify({ bsn: BSN, birthDate: '1990-01-01', professionalEmail: pa.email, criterionConfirmed: true }))).toBe(422); // too old
  expect(await send(JSON.stringify({ bsn: BSN, birthDate: '2012-01-01', professionalEmail: pb.email, criterionConfirmed: true }))).toBe(403); // wrong org
  expect(await send(JSON.stringify({ bsn: `${BSN.slice(0, 8)}0`, birthDate: '2012-01-01', professionalEmail: pa.email, criterionConfirmed: true }))).toBe(422); // elfproef
  expect(await send(JSON.stringify({ bsn: BSN, birthDate: '2012-01-01', professionalEmail: pa.email, extra: BSN, criterionConfirmed: true }))).toBe(422);
  expect(
    await send(JSON.stringify({ bsn: BSN, birthDate: '2012-01-01', professionalEmail: pa.email, criterionConfirmed: true }), {
      ...a.authHeaders,
      authorization: `Bearer btk_${BSN}`,
    }),
  ).toBe(401);

  await runJobs(t.deps); // drains the outbox into .eml files, seals the audit chain
  const mailDir = t.config.MAIL_DIR;
  const mails = readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f)));
  expect(mails).toHaveLength(4); // two mails, each as .eml and as decoded .txt

  // The pseudonym itself must not be in the audit trail either.
  const [row] = await t.deps.db.select().from(registrations).limit(1);
  const pseudonymHex = row!.subjectPseudonym.toString('hex');
  const audit = JSON.stringify(await t.deps.db.select().from(auditEvents));
  expect(audit).not.toContain(pseudonymHex);
  expect(audit).not.toContain(BSN);

  for (const suffix of ['', '-wal', '-shm']) {
    const file = t.config.DATABASE_PATH + suffix;
    if (existsSync(file)) expect({ file: suffix || 'db', leaks: leaks(readFileSync(file)) }).toEqual({ file: suffix || 'db', leaks: [] });
  }
  expect(existsSync(`${t.config.DATABASE_PATH}-wal`)).toBe(true); // the WAL was really scanned
  for (const m of mails) expect(leaks(m)).toEqual([]);
  expect(leaks(Buffer.from(JSON.stringify(t.logs)))).toEqual([]);
  expect(leaks(Buffer.from(output.join('')))).toEqual([]);
  for (const r of responses) expect(leaks(Buffer.from(r))).toEqual([]);
});

it('leaves no trace of an erased registration’s pseudonym in the database files after the checkpoint', async () => {
  const org = await t.organisation();
  const p = await org.professional();
  const { body } = await t.register(org, p.email);
  const [row] = await t.deps.db.select().from(registrations).where(eq(registrations.id, body.id));
  const pseudonym = row!.subjectPseudonym;
  const files = () =>
    ['', '-wal']
      .map((s) => t.config.DATABASE_PATH + s)
      .filter(existsSync)
      .map((f) => readFileSync(f));
  expect(files().some((f) => f.includes(pseudonym))).toBe(true); // it was really there

  await t.app.request(`/api/v1/registrations/${body.id}/end`, { method: 'POST', headers: org.authHeaders, body: JSON.stringify({ reason: 'unjustified' }) });
  t.deps.database.checkpoint();
  expect(files().some((f) => f.includes(pseudonym))).toBe(false);
});
