// Whether dist/ must be (re)built before it is run: imported by bin/betrokken.mjs on every
// CLI command, so it loads nothing but two built-ins (process.getBuiltinModule: no ESM
// facades to build) and costs a few milliseconds. scripts/build.mjs writes the manifest.
const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
/** The files the last build read; its modification time is when that build started reading. */
export const MANIFEST = join(DIST, 'build.json');
/** Rewritten by every `npm install`: a dependency may have changed. */
const INSTALL_STAMP = 'node_modules/.package-lock.json';

/**
 * True when there is no manifest, or an input (a source file of ours, the assets' sources,
 * package.json, or node_modules after an install) is newer than the build, or gone.
 */
export function isStale() {
  let built;
  let inputs;
  try {
    built = statSync(MANIFEST).mtimeMs;
    inputs = JSON.parse(readFileSync(MANIFEST, 'utf8')).inputs;
  } catch {
    return true;
  }
  for (const input of [...inputs, INSTALL_STAMP]) {
    try {
      if (statSync(join(ROOT, input)).mtimeMs > built) return true;
    } catch {
      if (input !== INSTALL_STAMP) return true; // a source was removed or renamed
    }
  }
  return false;
}
