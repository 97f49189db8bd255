import { describe, expect, it } from 'vitest';
import { validateBsn } from '../../src/identity/bsn.ts';
import { randomBsn } from '../support/bsn.ts';

describe('validateBsn', () => {
  it.each(['123456782', '249566758', '111222333'])('accepts the DOMAIN test vector %s', (bsn) => {
    expect(validateBsn(bsn)).toEqual({ ok: true, bsn });
  });

  it('refuses a number that fails the elfproef', () => {
    expect(validateBsn('123456789')).toEqual({ ok: false, error: 'bsn_checksum' });
  });

  it('pads an 8-digit number with a leading zero before checking', () => {
    // 012345672: 0*9+1*8+2*7+3*6+4*5+5*4+6*3+7*2-2 = 110, divisible by 11
    expect(validateBsn('12345672')).toEqual({ ok: true, bsn: '012345672' });
  });

  it.each(['000000000', '00000000', '999999999', '555555555'])('refuses all-equal digits %s', (bsn) => {
    expect(validateBsn(bsn)).toEqual({ ok: false, error: 'bsn_all_equal' });
  });

  it.each(['', '1234567', '1234567890', '12345678a', '123 456 782', '-12345678'])('refuses malformed input %j', (bsn) => {
    expect(validateBsn(bsn)).toEqual({ ok: false, error: 'bsn_format' });
  });

  it('accepts every number the test generator produces', () => {
    for (let i = 0; i < 1000; i++) expect(validateBsn(randomBsn()).ok).toBe(true);
  });
});
