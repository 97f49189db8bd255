/**
 * What every page shows of the municipality and its theme, derived once from configuration
 * (docs/theming.md). The theme and the logo file are embedded at build time
 * (scripts/build-assets.mjs); asking at run time for one the build did not embed is a
 * configuration error, named at start rather than found on the first page.
 */
import { ConfigError, type Env } from '../env.ts';
import { ICON_PATH, LOGO, THEMES } from './assets.generated.ts';

export interface Site {
  themeClass: string;
  themeHref: string;
  iconHref: string;
  municipality: {
    name: string;
    address: string;
    phone: string;
    email: string;
    helpdesk: string;
    /** The municipality's own statement, or Betrokken's page. */
    privacyHref: string;
    logoHref: string | null;
  };
}

const cache = new WeakMap<Env, Site>();

export function siteOf(config: Env): Site {
  let site = cache.get(config);
  if (site) return site;
  const theme = THEMES[config.THEME];
  if (!theme) {
    throw new ConfigError([`THEME: unknown theme "${config.THEME}"; this build has ${Object.keys(THEMES).join(', ')} (custom needs THEME_CSS at build time)`]);
  }
  // A URL path is linked as it is; otherwise the file the build embedded (a container image
  // built with the logo needs no variable at run time).
  const logo = config.MUNICIPALITY_LOGO;
  if (logo && !logo.startsWith('/') && !LOGO) {
    throw new ConfigError(['MUNICIPALITY_LOGO: names a file, but this build embedded no logo: rebuild with it set (npm run build)']);
  }
  const logoHref = logo?.startsWith('/') ? logo : (LOGO?.path ?? null);
  site = {
    themeClass: theme.className,
    themeHref: `/assets/theme-${config.THEME}.${theme.hash}.css`,
    iconHref: ICON_PATH,
    municipality: {
      name: config.MUNICIPALITY_NAME,
      address: config.MUNICIPALITY_ADDRESS,
      phone: config.MUNICIPALITY_PHONE,
      email: config.MUNICIPALITY_EMAIL,
      helpdesk: config.MUNICIPALITY_HELPDESK,
      privacyHref: config.MUNICIPALITY_PRIVACY_URL ?? '/privacy',
      logoHref,
    },
  };
  cache.set(config, site);
  return site;
}
