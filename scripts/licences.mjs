#!/usr/bin/env node
// The licences of the production dependencies (`npm run licences` prints them; the test in
// test/unit/licences.test.ts fails on anything not allowed). Allowed (docs/theming.md,
// "Licences"): permissive licences, EUPL-1.2 for NL Design System packages, OFL-1.1 for
// fonts. Never (A)GPL, and never assets licensed to one organisation: a package whose
// licence file calls itself proprietary fails even when its package.json says otherwise.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ALLOWED = new Set(['MIT', 'MIT-0', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'EUPL-1.2', 'OFL-1.1']);

/** Whether an SPDX expression allows our use: every AND part, and one alternative of each OR. */
export function allowed(expression) {
  if (typeof expression !== 'string' || expression.trim() === '') return false;
  const inner = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/\sAND\s/.test(inner)) return inner.split(/\s+AND\s+/).every(allowed);
  return inner.split(/\s+OR\s+/).some((id) => ALLOWED.has(id.trim().replace(/^\(|\)$/g, '')));
}

/** Every production package in the lock file (not `dev`) with its declared licence. */
export function productionPackages(root) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.dev)
    .map(([path, entry]) => {
      const licence = typeof entry.license === 'string' ? entry.license : (entry.license?.type ?? null);
      const dir = join(root, path);
      const file = existsSync(dir) ? readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name)) : undefined;
      const text = file ? readFileSync(join(dir, file), 'utf8') : '';
      return { name: path.replace(/^.*node_modules\//, ''), version: entry.version, licence, proprietary: /proprietar|properietar/i.test(text) };
    });
}

export function problems(root) {
  return productionPackages(root)
    .filter((p) => !allowed(p.licence) || p.proprietary)
    .map(
      (p) =>
        `${p.name}@${p.version}: ${p.proprietary ? 'its licence file says the contents are proprietary' : `licence ${p.licence ?? '(none)'} is not allowed`}`,
    );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const counts = new Map();
  for (const p of productionPackages(root)) counts.set(p.licence, (counts.get(p.licence) ?? 0) + 1);
  for (const [licence, count] of [...counts].sort((a, b) => b[1] - a[1]))
    console.log(`${String(count).padStart(4)}  ${licence}${allowed(licence) ? '' : '  NOT ALLOWED'}`);
  const found = problems(root);
  for (const line of found) console.error(line);
  process.exitCode = found.length ? 1 : 0;
}
