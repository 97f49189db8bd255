/**
 * The test context, the same on both runtimes: a fresh, migrated database per test file,
 * the real app, and factories that create what a test needs through the same verbs the
 * CLI uses (never seeded ids). The database and runtime ports come from `#test-driver`:
 * better-sqlite3 on Node (driver-node.ts), D1 in workerd (driver-workers.ts); vitest's
 * projects pick one (vitest.config.ts), so shared suites run unchanged against both.
 */
import { createDriver } from '#test-driver';
import { createApp } from '../../src/app.ts';
import type { Ctx } from '../../src/context.ts';
import type { Clock, Log } from '../../src/deps.ts';
import { createApiClient, createOrganisation, createPerson } from '../../src/directory/directory.ts';
import type { Mailer, OutgoingMail } from '../../src/notify/mailer.ts';
import { randomBsn } from './bsn.ts';
import { createTestClock } from './clock.ts';
import type { Role, Sector } from '../../src/vocabulary.ts';

export const TEST_KEY_HEX = 'a1'.repeat(32);

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** Collects mail in memory; Node tests that need SMTP pass a real SMTP mailer instead. */
export function memoryMailer(): Mailer & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return { sent, send: async (mail) => void sent.push(mail) };
}

export interface TestOrganisation {
  id: string;
  name: string;
  token: string;
  authHeaders: Record<string, string>;
  professional(name?: string): Promise<{ id: string; email: string }>;
}

export interface TestContextOptions {
  env?: Record<string, string>;
  /** 'configured': the mailer the entry would build from config (Node: SMTP_URL, else .eml files). */
  mailer?: Mailer | 'configured';
  clock?: Clock & { advance?(ms: number): void };
}

export async function createTestContext(options: TestContextOptions = {}) {
  const logs: LogLine[] = [];
  const log: Log = (level, message, fields) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const clock: Clock & { advance?(ms: number): void } = options.clock ?? createTestClock();
  const mailer = options.mailer === 'configured' ? undefined : (options.mailer ?? memoryMailer());
  const driver = await createDriver({
    // TRUST_PROXY: the tests stand in for the reverse proxy that sets X-Forwarded-For (Node).
    env: { NODE_ENV: 'test', PSEUDONYM_KEY: TEST_KEY_HEX, PUBLIC_URL: 'https://betrokken.test', TRUST_PROXY: 'true', ...options.env },
    mailer,
    clock,
    log,
  });
  const { deps } = driver;
  const app = createApp(deps);
  const operator: Ctx = { deps, actor: { type: 'operator', id: 'test' }, requestId: null, origin: 'test' };
  let counter = 0;

  async function organisation(sector: Sector = 'youth_care', name = `Organisatie ${++counter}`): Promise<TestOrganisation> {
    const { id } = await createOrganisation(operator, { name, sector });
    const { token } = await createApiClient(operator, { organisationId: id, name: 'Test CMS' });
    return {
      id,
      name,
      token,
      authHeaders: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      async professional(profName = `Professional ${++counter}`) {
        const email = `p${++counter}-${id.slice(0, 8)}@example.org`;
        // No invitation mail: suites that count outbox rows count match notifications only.
        const created = await createPerson(operator, { organisationId: id, name: profName, email, phone: '010-1234567', invite: false });
        return { id: created.id, email };
      },
    };
  }

  /** A person with these roles: in `organisationId`, or (municipal roles) without one. No invitation mail. */
  async function person(roles: Role[], organisationId?: string): Promise<{ id: string; email: string }> {
    const email = `u${++counter}@example.org`;
    const created = await createPerson(operator, { ...(organisationId ? { organisationId } : {}), name: `Persoon ${counter}`, email, roles, invite: false });
    return { id: created.id, email };
  }

  /** POST /api/v1/registrations as `org` for `professionalEmail`. */
  async function register(org: TestOrganisation, professionalEmail: string, body: Record<string, unknown> = {}) {
    clock.advance?.(1000); // distinct registration times keep orderings deterministic
    const response = await app.request('/api/v1/registrations', {
      method: 'POST',
      headers: org.authHeaders,
      body: JSON.stringify({ bsn: randomBsn(), birthDate: '2012-05-17', professionalEmail, criterionConfirmed: true, ...body }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any>, response };
  }

  return {
    ...driver,
    config: deps.config,
    deps,
    app,
    clock,
    mailer,
    logs,
    operator,
    organisation,
    person,
    register,
  };
}

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;
