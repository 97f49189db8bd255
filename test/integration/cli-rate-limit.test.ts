/** `api-client create --rate-limit` and `api-client set-limit` (ADR 0010), through the real CLI process. */
import { expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createNodeDeps } from '../../src/entry/node-deps.ts';
import { parseEnv } from '../../src/env.ts';
import { memoryMailer } from '../support/context.ts';
import { cliInTempDir } from '../support/process.ts';

const { env, cli } = cliInTempDir('betrokken-cli-limit-');

/** How many of `n` requests the app answers before its first 429 (API_LIMIT_PER_MINUTE 3). */
async function allowed(token: string, n: number): Promise<number> {
  const deps = createNodeDeps(parseEnv({ ...env, NODE_ENV: 'test', API_LIMIT_PER_MINUTE: '3' }), { mailer: memoryMailer(), log: () => {} });
  try {
    const app = createApp(deps);
    for (let i = 0; i < n; i++) {
      const response = await app.request('/api/v1/registrations', { headers: { authorization: `Bearer ${token}` } });
      if (response.status === 429) return i;
      expect(response.status).toBe(200);
    }
    return n;
  } finally {
    deps.close();
  }
}

it('creates a client with its own limit, changes it, and goes back to the default', async () => {
  const { id: orgId } = JSON.parse((await cli('org', 'create', '--name', 'Gemeente', '--sector', 'district_team', '--json')).stdout);
  const created = await cli('api-client', 'create', '--org', orgId, '--name', 'Migratie', '--rate-limit', '7', '--json');
  expect(created.code).toBe(0);
  const { id, token } = JSON.parse(created.stdout);
  expect(await allowed(token, 10)).toBe(7);

  const set = await cli('api-client', 'set-limit', '--id', id, '--rate-limit', '5', '--json');
  expect(set.code).toBe(0);
  expect(JSON.parse(set.stdout)).toEqual({ id, rateLimitPerMinute: 5 });
  expect(await allowed(token, 10)).toBe(5);

  const reset = await cli('api-client', 'set-limit', '--id', id, '--rate-limit', 'default', '--json');
  expect(JSON.parse(reset.stdout)).toEqual({ id, rateLimitPerMinute: null });
  expect(await allowed(token, 10)).toBe(3);
});

it('refuses a limit that is no whole number from 1, naming the option, and an unknown client', async () => {
  for (const bad of ['0', '-5', '2.5', 'many']) {
    const result = await cli('api-client', 'set-limit', '--id', 'x', '--rate-limit', bad, '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.message).toContain('--rate-limit');
  }
  const missing = await cli('api-client', 'set-limit', '--id', 'no-such-client', '--rate-limit', '10', '--json');
  expect(missing.code).toBe(1);
  expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'not_found' } });
});
