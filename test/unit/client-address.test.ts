/** The client address on Node: never a header the client can set, unless a proxy is trusted. */
import { describe, expect, it } from 'vitest';
import { nodeClientAddress } from '../../src/entry/node-deps.ts';

const env = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };
const request = (headers: Record<string, string>) => new Request('http://localhost/login', { headers });

describe('nodeClientAddress', () => {
  it('without TRUST_PROXY uses the socket and ignores forged headers', () => {
    const address = nodeClientAddress(false);
    expect(address(request({ 'x-forwarded-for': '1.1.1.1', 'cf-connecting-ip': '2.2.2.2' }), env)).toBe('203.0.113.9');
  });

  it('with TRUST_PROXY takes the entry the proxy appended, not what the client sent or CF-Connecting-IP', () => {
    const address = nodeClientAddress(true);
    expect(address(request({ 'x-forwarded-for': '1.1.1.1, 198.51.100.4', 'cf-connecting-ip': '2.2.2.2' }), env)).toBe('198.51.100.4');
    expect(address(request({}), env)).toBe('203.0.113.9');
  });
});
