/** Every production dependency has an open licence that allows our use (issue 13). */
import { describe, expect, it } from 'vitest';
import { allowed, problems, productionPackages } from '../../scripts/licences.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('licences of the production dependencies', () => {
  it('are all allowed: permissive, EUPL-1.2 or OFL-1.1, and none calls itself proprietary', () => {
    expect(productionPackages(ROOT).length).toBeGreaterThan(50);
    expect(problems(ROOT)).toEqual([]);
  });

  it('judges SPDX expressions: one allowed alternative suffices, every AND part must be allowed', () => {
    expect(allowed('MIT')).toBe(true);
    expect(allowed('EUPL-1.2')).toBe(true);
    expect(allowed('OFL-1.1')).toBe(true);
    expect(allowed('MIT OR Apache-2.0')).toBe(true);
    expect(allowed('(MIT OR GPL-3.0-or-later)')).toBe(true);
    expect(allowed('MIT AND GPL-3.0-only')).toBe(false);
    expect(allowed('AGPL-3.0-or-later')).toBe(false); // ua-parser-js 2.x
    expect(allowed('GPL-2.0')).toBe(false);
    // What @utrecht/design-tokens declares: its LICENSE.md reserves the tokens to Gemeente Utrecht.
    expect(allowed('SEE LICENSE IN ./LICENSE.md')).toBe(false);
    expect(allowed(null)).toBe(false);
  });
});
