/**
 * BSN validation (DOMAIN "BSN"). Returns a value, not an exception, so callers decide how
 * to report; the error codes never carry the input.
 */
export type BsnError = 'bsn_format' | 'bsn_all_equal' | 'bsn_checksum';
export type BsnResult = { ok: true; bsn: string } | { ok: false; error: BsnError };

export const BSN_MESSAGES: Record<BsnError, string> = {
  bsn_format: 'Een BSN bestaat uit 9 cijfers (of 8, dan wordt er een 0 voor gezet).',
  bsn_all_equal: 'Dit is geen geldig BSN (alle cijfers gelijk).',
  bsn_checksum: 'Dit is geen geldig BSN (de elfproef klopt niet).',
};

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
