/** The footer's statements (views/pages/statements.tsx): public pages, also before login. */
import { Hono } from 'hono';
import { AccessibilityStatementPage, accessibilityFrame, PrivacyStatementPage, privacyFrame } from '../../views/pages/statements.tsx';
import { siteOf } from '../../views/site.ts';
import type { AppEnv } from '../app-env.ts';
import type { AccessTable } from '../http/access.ts';
import { render } from './render.tsx';

export const statementAccess: AccessTable = {
  'GET /toegankelijkheid': 'public',
  'GET /privacy': 'public',
};

export const statementPages = new Hono<AppEnv>();

statementPages.get('/toegankelijkheid', (c) => {
  const config = c.get('deps').config;
  return render(c, accessibilityFrame(), <AccessibilityStatementPage municipality={siteOf(config).municipality} publicUrl={config.PUBLIC_URL} />);
});

statementPages.get('/privacy', (c) => {
  const config = c.get('deps').config;
  return render(
    c,
    privacyFrame(),
    <PrivacyStatementPage municipality={siteOf(config).municipality} termMonths={config.REGISTRATION_TERM_MONTHS} archiveYears={config.ARCHIVE_YEARS} />,
  );
});
