/** Readable device names for the sessions table on "Mijn account", from real user agents (bowser, MIT). */
import { describe, expect, it } from 'vitest';
import { deviceName, UNKNOWN_DEVICE } from '../../src/views/device-name.ts';

const CASES: [string, string][] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome op Windows'],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    'Safari op iPhone',
  ],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox op Linux'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari op macOS'],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    'Microsoft Edge op Windows',
  ],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36', 'Chrome op Android'],
  ['Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1', 'Safari op iPad'],
];

describe('deviceName', () => {
  it.each(CASES)('names %s as %s', (ua, expected) => {
    expect(deviceName(ua)).toBe(expected);
  });

  it('says "Onbekend apparaat" when nothing is known', () => {
    for (const ua of [null, undefined, '', '   ', 'curl/8.5.0', 'x']) expect(deviceName(ua)).toBe(UNKNOWN_DEVICE);
  });

  it('never shows the raw user agent', () => {
    for (const [ua] of CASES) expect(deviceName(ua)).not.toContain('Mozilla');
  });
});
