import { describe, expect, it } from 'vitest';
import { BSN_MESSAGES, BsnField, validateBsn } from '../../src/identity/bsn.ts';
import { randomBsn } from '../support/bsn.ts';

describe('validateBsn', () => {
  it.each(['123456782', '249566758', '111222333'])('accepts the test vector %s', (bsn) => {
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

describe('BsnField (the one BSN schema of the API, the pages and the register verb)', () => {
  it.each(['123456782', '1234 56 782', '1234.56.782', ' 123 456 782 ', '12345672'])('accepts %j as copied from a document', (input) => {
    expect(BsnField.parse(input)).toMatch(/^\d{9}$/);
  });

  it('normalises to nine digits', () => {
    expect(BsnField.parse('1234 56 72')).toBe('012345672');
  });

  it.each([
    ['', 'Vul het BSN van de jeugdige in.'],
    ['   ', 'Vul het BSN van de jeugdige in.'],
    ['1234 56 789', BSN_MESSAGES.bsn_checksum],
    ['111 111 111', BSN_MESSAGES.bsn_all_equal],
    ['1234-56-782', BSN_MESSAGES.bsn_format],
  ])('refuses %j with its own message, never the input', (input, message) => {
    const result = BsnField.safeParse(input);
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it('asks for the BSN when it is missing', () => {
    expect(BsnField.safeParse(undefined).error?.issues.map((i) => i.message)).toEqual(['Vul het BSN van de jeugdige in.']);
  });
});
