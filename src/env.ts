import { z } from 'zod';

/** Decodes a key given as hex (64+ hex digits) or base64/base64url (32+ bytes). */
function decodeKey(value: string): Uint8Array | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0) {
    return Uint8Array.from(v.match(/../g)!.map((h) => parseInt(h, 16)));
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const b64 = v.replace(/-/g, '+').replace(/_/g, '/');
    try {
      return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    } catch {
      return null;
    }
  }
  return null;
}

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** A secret key: hex or base64, at least 32 bytes (AUDIT_KEY; ADR 0009). */
const secretKey = () =>
  z.string().transform((value, ctx) => {
    const bytes = decodeKey(value);
    if (!bytes || bytes.length < 32) {
      ctx.addIssue({ code: 'custom', message: 'must be at least 32 random bytes, hex or base64 encoded' });
      return z.NEVER;
    }
    return bytes;
  });
const keyId = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - or _ (at most 32)')
    .default(fallback);

/** Retired audit keys, kept to verify the rows they sealed: `id:key,id:key` (ADR 0009). */
const previousKeys = z.string().transform((value, ctx) => {
  const keys: { id: string; bytes: Uint8Array }[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [id, key] = entry.split(':', 2);
    const bytes = key ? decodeKey(key) : null;
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || !bytes || bytes.length < 32) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of id:key (each key 32+ bytes, hex or base64)' });
      return z.NEVER;
    }
    keys.push({ id, bytes });
  }
  return keys;
});

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(1, 65535, 8787),
    DATABASE_PATH: z.string().min(1).default('./data/betrokken.db'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    PSEUDONYM_KEY: z
      .string()
      .transform((value, ctx) => {
        const bytes = decodeKey(value);
        if (!bytes || bytes.length < 32) {
          ctx.addIssue({ code: 'custom', message: 'must be at least 32 random bytes, hex or base64 encoded' });
          return z.NEVER;
        }
        return bytes;
      })
      .optional(),
    PSEUDONYM_KEY_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - or _ (at most 32)')
      .default('k1'),
    /** Keys the audit trail's MACs (ADR 0009): never stored in the database. */
    AUDIT_KEY: secretKey().optional(),
    AUDIT_KEY_ID: keyId('a1'),
    AUDIT_PREVIOUS_KEYS: previousKeys.optional(),
    /** Node: the directory of the append-only anchor file (the chain's head, outside the database). */
    AUDIT_ANCHOR_DIR: z.string().min(1).default('./data/anchors'),
    /** How often the jobs anchor the head when it moved (at least daily). */
    AUDIT_ANCHOR_SECONDS: int(60, 86_400, 3600),
    /** An unsealed audit row older than this fails verification: a few job intervals. */
    AUDIT_SEAL_GRACE_SECONDS: int(60, 86_400, 900),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z.string().min(3).default('Betrokken <noreply@betrokken.localhost>'),
    MAIL_DIR: z.string().min(1).default('./data/mail'),
    REGISTRATION_TERM_MONTHS: int(1, 24, 24),
    /** Follow-up deadlines in working days (docs/operations.md, "Deadlines"); the municipal
     * admin can change them in the console, these are the defaults. */
    CONTACT_DAYS: int(1, 60, 5),
    COORDINATOR_DAYS: int(1, 60, 10),
    ESCALATION_DAYS: int(1, 90, 15),
    /** The municipality as letters and pages name it (the rights desk's answer letter). */
    MUNICIPALITY_NAME: z.string().trim().min(2).max(100).default('Gemeente Voorbeeldstad'),
    MUNICIPALITY_ADDRESS: z.string().trim().min(2).max(200).default('Postbus 1000, 1000 AA Voorbeeldstad'),
    MUNICIPALITY_PHONE: z.string().trim().min(2).max(40).default('14 020'),
    MUNICIPALITY_EMAIL: z.email().default('privacy@voorbeeldstad.example'),
    /** Who professionals call or mail with questions about Betrokken (footer, mails, letters). */
    MUNICIPALITY_HELPDESK: z.string().trim().min(2).max(200).default('Servicedesk Betrokken, 14 020 (werkdagen 8.30–17.00 uur)'),
    /** The municipality's privacy statement; unset: Betrokken's own page at /privacy. */
    MUNICIPALITY_PRIVACY_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The logo in the header: a URL path on this site (`/…`), or a file embedded at build time (docs/theming.md). */
    MUNICIPALITY_LOGO: z.string().trim().min(1).max(500).optional(),
    /** The look: a shipped open theme, or `custom` when the build embedded THEME_CSS (docs/theming.md). */
    THEME: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a theme name such as voorbeeld, denhaag or custom')
      .default('voorbeeld'),
    ARCHIVE_YEARS: int(1, 5, 5),
    OUTBOX_MAX_ATTEMPTS: int(1, 50, 8),
    JOB_INTERVAL_SECONDS: int(1, 3600, 15),
    /** Login attempts (password or code) per client address per 15 minutes. Offices behind
     * one address share it, so it is generous; the per-account lock does the fine work. */
    LOGIN_LIMIT_PER_IP: int(1, 100_000, 100),
    /** API requests per API client per minute (ADR 0010); `api-client set-limit` overrides it per client. */
    API_LIMIT_PER_MINUTE: int(1, 1_000_000, 600),
    /** API requests per client address per minute, counted before the token is checked, so a
     * flood of bad tokens meets a 429 early. Several clients behind one address share it. */
    API_LIMIT_PER_IP_PER_MINUTE: int(1, 1_000_000, 1200),
    /** Node behind a reverse proxy: take the client address from the last X-Forwarded-For entry. */
    TRUST_PROXY: z
      .enum(['true', 'false'], { error: 'true or false' })
      .default('false')
      .transform((v) => v === 'true'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Bearer token Prometheus sends to scrape `/metrics` (src/routes/http/metrics.ts). Unset:
     * `/metrics` answers 404. At least 32 characters; generate one with `openssl rand -hex 32`. */
    METRICS_TOKEN: z
      .string()
      .trim()
      .min(32, 'must be at least 32 characters (openssl rand -hex 32)')
      .max(512)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional(),
  })
  .transform((env) => ({ ...env, PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '') }))
  // Session cookies are Secure and __Host- prefixed, which needs https; plain http is for
  // development on this machine only.
  .refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_URL.startsWith('https://'), {
    path: ['PUBLIC_URL'],
    message: 'must be an https:// URL in production',
  });

export type Env = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses configuration from an environment record. Pure: the entries decide where the
 * record comes from. Empty strings count as unset. Throws a ConfigError naming every bad
 * variable; never echoes a value (it might be a secret).
 */
export function parseEnv(record: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}
