/**
 * A small browser for in-process page tests: app.request with a cookie jar, the Origin a
 * browser sends on a same-origin form post, and form bodies. Redirects are not followed by
 * get and post, so tests see every step; submit posts and follows them as a browser does
 * (Post/Redirect/Get).
 */
import { generate } from 'otplib';
import type { Role } from '../../src/vocabulary.ts';
import type { TestContext } from './context.ts';

export class WebClient {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly t: TestContext,
    readonly ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`,
  ) {}

  private store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    // The address as a proxy (Node, X-Forwarded-For) or Cloudflare's edge (Workers) reports it.
    return { ...(cookie ? { cookie } : {}), 'x-forwarded-for': this.ip, 'cf-connecting-ip': this.ip, 'user-agent': 'WebClient test', ...extra };
  }

  async get(path: string) {
    const response = await this.t.app.request(path, { headers: this.headers() });
    this.store(response);
    return { response, status: response.status, html: await response.text(), location: response.headers.get('location') };
  }

  async post(path: string, form: Record<string, string>, options: { origin?: string | null; accept?: string } = {}) {
    const origin = options.origin === undefined ? this.t.config.PUBLIC_URL : options.origin;
    const response = await this.t.app.request(path, {
      method: 'POST',
      headers: this.headers({
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin ? { origin } : {}),
        ...(options.accept ? { accept: options.accept } : {}),
      }),
      body: new URLSearchParams(form).toString(),
    });
    this.store(response);
    return { response, status: response.status, html: await response.text(), location: response.headers.get('location') };
  }

  /** Follows redirects with GETs, as a browser does (at most 5); the page it ends on, and the path. */
  async follow(step: Page): Promise<Page & { path: string | null }> {
    let page: Page & { path: string | null } = { ...step, path: null };
    for (let hops = 0; page.status >= 300 && page.status < 400 && page.location; hops++) {
      if (hops === 5) throw new Error(`too many redirects, last to ${page.location}`);
      const url = new URL(page.location, this.t.config.PUBLIC_URL);
      const path = `${url.pathname}${url.search}`;
      page = { ...(await this.get(path)), path };
    }
    return page;
  }

  /**
   * Posts a form and follows the answer as a browser does: `posted` is the POST's own
   * answer (303 after a success), the rest is the page the browser ends on.
   */
  async submit(path: string, form: Record<string, string>, options: { origin?: string | null; accept?: string } = {}) {
    const posted = await this.post(path, form, options);
    return { ...(await this.follow(posted)), posted };
  }
}

type Page = { response: Response; status: number; html: string; location: string | null };

/** The TOTP code for a secret at the test clock's time (step offset for "the next code"). */
export function totpCode(t: TestContext, secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) + offsetSteps * 30 });
}

/** The value of a hidden or text input in a page. */
export function inputValue(html: string, name: string): string | null {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return match ? match[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"') : null;
}

/**
 * Invites a professional through the real mail, accepts the invitation, sets a password,
 * enrols TOTP and logs in; returns a logged-in client and what a test needs next.
 */
export async function loggedInProfessional(
  t: TestContext,
  org: Awaited<ReturnType<TestContext['organisation']>>,
  mail: { sent: { to: string; text: string }[] },
) {
  return activateAndLogIn(t, await org.professional(), mail);
}

/** The same for a person with other roles: in an organisation, or (municipal roles) without. */
export async function loggedInPerson(t: TestContext, roles: Role[], mail: { sent: { to: string; text: string }[] }, organisationId?: string) {
  return activateAndLogIn(t, await t.person(roles, organisationId), mail);
}

/** Accepts the person's invitation, sets a password, enrols TOTP and logs in, all in process. */
export async function activateAndLogIn(t: TestContext, p: { id: string; email: string }, mail: { sent: { to: string; text: string }[] }) {
  const { inviteProfessional } = await import('../../src/auth/account-tokens.ts');
  const { drainOutbox } = await import('../../src/jobs/drain-outbox.ts');
  await inviteProfessional(t.operator, { professionalId: p.id });
  await drainOutbox(t.deps);
  const invitation = mail.sent.findLast((m) => m.to === p.email)!;
  const link = new URL(/https?:\/\/\S+\/account\/activate\?token=\S+/.exec(invitation.text)![0]);
  const client = new WebClient(t);
  const password = 'een lange zin als wachtwoord';
  const activation = await client.get(`${link.pathname}${link.search}`);
  const token = inputValue(activation.html, 'token')!;
  await client.post('/account/activate', { token, password, confirm: password });
  await client.post('/login', { email: p.email, password });
  const enrol = await client.submit('/login/enrol/start', {});
  const secret = /class="betrokken-secret">([A-Z2-7 ]+)</.exec(enrol.html)![1]!.replace(/ /g, '');
  // The codes are on the page after the redirect, once (Post/Redirect/Get).
  const done = await client.submit('/login/enrol', { code: await totpCode(t, secret) });
  if (done.posted.status !== 303 || done.path !== '/account/recovery-codes') throw new Error(`enrolment failed: ${done.posted.status}`);
  t.clock.advance?.(30_000); // the next login code must be a later step
  return { client, professional: p, password, secret, recoveryCodes: [...done.html.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]!) };
}

/** Logs an enrolled professional in again (a new client, a new session). */
export async function logIn(t: TestContext, account: { professional: { email: string }; password: string; secret: string }): Promise<WebClient> {
  const client = new WebClient(t);
  await client.post('/login', { email: account.professional.email, password: account.password });
  t.clock.advance?.(30_000);
  const done = await client.post('/login/code', { code: await totpCode(t, account.secret) });
  if (done.status !== 303) throw new Error(`login failed: ${done.status}`);
  return client;
}
