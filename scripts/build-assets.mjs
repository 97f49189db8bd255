#!/usr/bin/env node
// Builds the pages' static assets into one TypeScript module (src/views/assets.generated.ts)
// that both runtimes import, so Node and Workers need no static-file set-up of their own.
// Everything comes from npm or this repository (no CDN) and is served by the app itself
// under content-hashed, immutable URLs:
//
// - STYLES: the Utrecht component CSS (EUPL-1.2) and our own CSS (src/views/*.css), the
//   same under every theme;
// - THEMES: per theme its design tokens, the bridge that maps them onto the few variables
//   our CSS uses (src/views/themes/<name>.css) and its self-hosted fonts' @font-face rules;
// - BINARIES: the font files (base64 here) and the favicon, and the municipality's logo
//   when MUNICIPALITY_LOGO names a file;
// - SESSION_SCRIPT: the one small client script.
//
// A municipality's own theme is read at build time (npm start builds first; so does the
// Worker build): THEME_CSS (its token CSS), THEME_CLASS (the class its selectors use),
// THEME_FONT_CSS (an @font-face file whose url()s name font files beside it, embedded) and
// optionally THEME_BRIDGE_CSS; it is then available as THEME=custom (docs/theming.md).
// Run by prestart, pretypecheck, vitest.config.ts and the Worker build; not committed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const read = (path) => readFileSync(path, 'utf8');
const VIEWS = fileURLToPath(new URL('../src/views/', import.meta.url));
const hash = (data) => createHash('sha256').update(data).digest('hex').slice(0, 12);

/** Our CSS: theme.css first (the defaults the themes override), then the others by name. */
const ownCss = readdirSync(VIEWS)
  .filter((name) => name.endsWith('.css'))
  .sort((a, b) => (a === 'theme.css' ? -1 : b === 'theme.css' ? 1 : a.localeCompare(b)));
const css = [read(require.resolve('@utrecht/component-library-css/dist/index.css')), ...ownCss.map((name) => read(join(VIEWS, name)))].join('\n');

/** name → { file, type, base64 } of every binary asset; the key is the served file name. */
const binaries = {};
function addBinary(path, type) {
  const data = readFileSync(path);
  const name = `${basename(path, extname(path))}.${hash(data)}${extname(path)}`;
  binaries[name] = { type, base64: data.toString('base64') };
  return `/assets/${name}`;
}

const FONT_TYPES = { '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.otf': 'font/otf' };

/**
 * Rewrites an @font-face file's url()s to served, hashed copies of the files they name.
 * `only` keeps the blocks whose comment names a wanted subset (fontsource files mark each).
 */
function fontFaces(cssPath, only) {
  let text = read(cssPath);
  if (only) {
    text = text
      .split(/(?=\/\* )/)
      .filter((block) => only.some((subset) => block.startsWith(`/* ${subset} */`)))
      .join('');
  }
  return text
    .replace(/url\((['"]?)([^)'"]+)\1\)(\s*format\([^)]*\))?/g, (_whole, _q, url, format) => {
      if (/^(data:|https?:|\/)/.test(url)) throw new Error(`${cssPath}: fonts must be files beside the CSS, not ${url.slice(0, 40)}`);
      const file = resolve(dirname(cssPath), url);
      const type = FONT_TYPES[extname(file)];
      if (!type) throw new Error(`${cssPath}: not a font file: ${url}`);
      return `url(${addBinary(file, type)})${format ?? ''}`;
    })
    .replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, ''); // woff2 is enough for every supported browser
}

/** The Latin subsets in 400 and 700: Dutch, and names from the rest of Europe. */
function fontsource(family) {
  const dir = dirname(require.resolve(`@fontsource/${family}/package.json`));
  const subsets = (weight) => [`${family}-latin-${weight}-normal`, `${family}-latin-ext-${weight}-normal`];
  return [fontFaces(join(dir, '400.css'), subsets(400)), fontFaces(join(dir, '700.css'), subsets(700))].join('\n');
}

const bridge = (name) => read(join(VIEWS, 'themes', `${name}.css`));

/** The shipped themes, each openly licensed (docs/theming.md): tokens, bridge, fonts. */
const themes = {
  voorbeeld: {
    className: 'voorbeeld-theme',
    css: [read(require.resolve('@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css')), bridge('voorbeeld'), fontsource('noto-sans')],
  },
  denhaag: {
    className: 'denhaag-theme',
    css: [read(require.resolve('@gemeente-denhaag/design-tokens-components/dist/theme/index.css')), bridge('denhaag'), fontsource('fira-sans')],
  },
};

if (process.env.THEME_CSS) {
  const className = process.env.THEME_CLASS ?? '';
  if (!/^[a-z][a-z0-9-]*$/.test(className)) throw new Error('THEME_CLASS must name the class the THEME_CSS selectors use, e.g. rotterdam-theme');
  themes.custom = {
    className,
    css: [
      read(resolve(process.env.THEME_CSS)),
      process.env.THEME_BRIDGE_CSS ? read(resolve(process.env.THEME_BRIDGE_CSS)) : '',
      process.env.THEME_FONT_CSS ? fontFaces(resolve(process.env.THEME_FONT_CSS)) : '',
    ],
  };
}

const icon = addBinary(join(VIEWS, 'favicon.svg'), 'image/svg+xml');
const LOGO_TYPES = { '.svg': 'image/svg+xml', '.png': 'image/png', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };
/** MUNICIPALITY_LOGO names a file (embedded here) or a URL path the app links to as it is. */
const logoFile = process.env.MUNICIPALITY_LOGO && !process.env.MUNICIPALITY_LOGO.startsWith('/') ? resolve(process.env.MUNICIPALITY_LOGO) : null;
let logo = null;
if (logoFile) {
  const type = LOGO_TYPES[extname(logoFile).toLowerCase()];
  if (!type) throw new Error('MUNICIPALITY_LOGO: an .svg, .png, .webp or .jpg file, or a URL path starting with /');
  logo = { file: logoFile, path: addBinary(logoFile, type) };
}

const js = read(join(VIEWS, 'client/session.js'));
const themeMeta = Object.entries(themes).map(([name, theme]) => [name, theme.className, theme.css.join('\n')]);

// Two modules: what the pages need to link the assets (small, imported with every page), and
// the assets themselves (megabytes of CSS and fonts), imported only by the route that serves
// them: a test file, an isolate or a CLI command that serves no asset never loads them.
const meta = `// Generated by scripts/build-assets.mjs: do not edit, do not commit.
export const STYLES = { hash: ${JSON.stringify(hash(css))} };
export const THEMES: Record<string, { className: string; hash: string }> = {
${themeMeta.map(([name, className, body]) => `  ${JSON.stringify(name)}: { className: ${JSON.stringify(className)}, hash: ${JSON.stringify(hash(body))} },`).join('\n')}
};
export const SESSION_SCRIPT = { hash: ${JSON.stringify(hash(js))} };
export const ICON_PATH = ${JSON.stringify(icon)};
/** The logo file MUNICIPALITY_LOGO named at build time, if it named a file. */
export const LOGO: { file: string; path: string } | null = ${JSON.stringify(logo)};
`;
const bodies = `// Generated by scripts/build-assets.mjs: do not edit, do not commit.
export const STYLES_BODY = ${JSON.stringify(css)};
export const THEME_BODIES: Record<string, string> = {
${themeMeta.map(([name, , body]) => `  ${JSON.stringify(name)}: ${JSON.stringify(body)},`).join('\n')}
};
export const SESSION_SCRIPT_BODY = ${JSON.stringify(js)};
/** Served file name → type and content (base64: fonts and images are binary). */
export const BINARIES: Record<string, { type: string; base64: string }> = ${JSON.stringify(binaries)};
`;

/** Written only when changed: vitest and the build watch these files' times. */
function writeIfChanged(name, text) {
  const target = join(VIEWS, name);
  let current = '';
  try {
    current = read(target);
  } catch {}
  if (current !== text) writeFileSync(target, text);
}
writeIfChanged('assets.generated.ts', meta);
writeIfChanged('asset-bodies.generated.ts', bodies);
