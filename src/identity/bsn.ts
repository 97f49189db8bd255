/**
 * BSN validation (docs/domain.md, "BSN"). `validateBsn` returns a value, not an exception,
 * so callers decide how to report; the error codes never carry the input. `BsnField` is the
 * one zod schema every way in (API, pages, the register verb) shares.
 */
import { z } from 'zod';

export type BsnError = 'bsn_format' | 'bsn_all_equal' | 'bsn_checksum';
export type BsnResult = { ok: true; bsn: string } | { ok: false; error: BsnError };

export const BSN_MESSAGES: Record<BsnError, string> = {
  bsn_format: 'Een BSN bestaat uit 9 cijfers (of 8, dan wordt er een 0 voor gezet).',
  bsn_all_equal: 'Dit is geen geldig BSN (alle cijfers gelijk).',
  bsn_checksum: 'Dit is geen geldig BSN (de elfproef klopt niet).',
};

const BSN_MISSING = 'Vul het BSN van de jeugdige in.';

export function validateBsn(input: string): BsnResult {
  const trimmed = input.trim();
  if (!/^\d{8,9}$/.test(trimmed)) return { ok: false, error: 'bsn_format' };
  const bsn = trimmed.padStart(9, '0');
  if (/^(\d)\1{8}$/.test(bsn)) return { ok: false, error: 'bsn_all_equal' };
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(bsn[i]);
  sum -= Number(bsn[8]);
  if (sum % 11 !== 0) return { ok: false, error: 'bsn_checksum' };
  return { ok: true, bsn };
}

/**
 * A BSN as typed or sent, out as the normalised 9 digits. People copy it from documents as
 * "1234 56 782" or "1234.56.782", so spaces and dots do not count. Messages never carry
 * the input (a BSN must not come back in an error).
 */
export const BsnField = z.string({ error: BSN_MISSING }).transform((value, ctx) => {
  const result = validateBsn(value.replace(/[\s.]/g, ''));
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: value.trim() ? BSN_MESSAGES[result.error] : BSN_MISSING, params: { code: result.error } });
    return z.NEVER;
  }
  return result.bsn;
});
