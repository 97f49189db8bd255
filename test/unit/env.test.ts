import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/env.ts';

const key = 'ab'.repeat(32);

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv({ PSEUDONYM_KEY: key });
    expect(env.PORT).toBe(8787);
    expect(env.DATABASE_PATH).toBe('./data/betrokken.db');
    expect(env.PUBLIC_URL).toBe('http://localhost:8787');
    expect(env.REGISTRATION_TERM_MONTHS).toBe(24);
    expect(env.ARCHIVE_YEARS).toBe(5);
    expect(env.PSEUDONYM_KEY).toHaveLength(32);
  });

  it('accepts a base64 key and derives PUBLIC_URL from PORT', () => {
    const env = parseEnv({ PSEUDONYM_KEY: Buffer.alloc(48, 1).toString('base64'), PORT: '9000' });
    expect(env.PSEUDONYM_KEY).toHaveLength(48);
    expect(env.PUBLIC_URL).toBe('http://localhost:9000');
  });

  it('names every bad variable at once, without echoing values', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', PSEUDONYM_KEY: 'tooshortsecret', SMTP_URL: 'http://mail', REGISTRATION_TERM_MONTHS: '36' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'PSEUDONYM_KEY', 'SMTP_URL', 'REGISTRATION_TERM_MONTHS']) expect(problems).toContain(name);
    expect((error as Error).message).not.toContain('tooshortsecret');
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PSEUDONYM_KEY: key, SMTP_URL: '' }).SMTP_URL).toBeUndefined();
  });
});
