// What a self-service check may be pointed at: the address rules, without the network.
import { describe, expect, it } from 'vitest';
import { egressPolicy, isInternalAddress, RefusedError, vetCheckUrl } from '../../src/gather/egress.js';
import { clientKey } from '../../src/server/checks.js';

const dns: Record<string, string[]> = {
  'www.example.lv': ['93.184.216.34'],
  'intranet.example.lv': ['10.1.2.3'],
  'mixed.example.lv': ['93.184.216.34', '127.0.0.1'],
  'v6.example.lv': ['2a00:1450:4001:80b::200e'],
  'v6local.example.lv': ['fd12:3456::1'],
};
const policy = egressPolicy(false, { resolve: async (h) => { if (!dns[h]) throw new Error('ENOTFOUND'); return dns[h]!; } });

async function refusal(raw: unknown): Promise<string> {
  try {
    await vetCheckUrl(raw, policy);
  } catch (err) {
    expect(err).toBeInstanceOf(RefusedError);
    return (err as Error).message;
  }
  throw new Error(`expected ${String(raw)} to be refused`);
}

describe('egress rules of self-service checks', () => {
  it('classifies internal addresses, IPv4 hidden in IPv6 included', () => {
    for (const ip of ['127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a00:1',
      // IPv4-compatible, NAT64 local-use, site-local, unique-local, documentation (old and new), Teredo, 6to4.
      '::127.0.0.1', '::7f00:1', '::a00:1', '64:ff9b:1::a00:1', 'fec0::1', 'fc00::1', '2001:db8::1', '3fff::1', '2001::1', '2002:7f00:1::1',
      // IPv4-translated (::ffff:0:0/96): accepted before, whatever the address inside.
      '::ffff:0:7f00:1', '::ffff:0:127.0.0.1', '0:0:0:0:ffff:0:a00:1', '::ffff:0:808:808']) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8']) expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('refuses other schemes, credentials, internal hosts in every spelling, and names that resolve inside', async () => {
    expect(await refusal('ftp://www.example.lv/')).toMatch(/only http and https/);
    expect(await refusal('javascript:alert(1)')).toMatch(/only http and https/);
    expect(await refusal('file:///etc/passwd')).toMatch(/only http and https/);
    expect(await refusal('https://user:pw@www.example.lv/')).toMatch(/user name or password/);
    for (const u of ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:0:7f00:1]/', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/']) {
      expect(await refusal(u), u).toMatch(/internal address/);
    }
    // The reason, never the internal address itself.
    expect(await refusal('https://intranet.example.lv/')).toBe('intranet.example.lv resolves to an internal address');
    expect(await refusal('https://mixed.example.lv/')).toBe('mixed.example.lv resolves to an internal address'); // every address must pass
    expect(await refusal('http://[::127.0.0.1]/')).toMatch(/internal address$/);
    expect(await refusal('https://v6local.example.lv/')).toMatch(/internal/);
    expect(await refusal('https://nowhere.example.lv/')).toMatch(/does not resolve/);
    expect(await refusal('http://www.example.lv:6379/')).toMatch(/port 6379 is not allowed/);
    expect(await refusal('')).toMatch(/give the address/);
    expect(await refusal(42)).toMatch(/give the address/);
    expect(await refusal(`https://www.example.lv/${'a'.repeat(2100)}`)).toMatch(/too long/);
  });

  it('accepts public sites, with or without the scheme typed', async () => {
    expect((await vetCheckUrl('www.example.lv', policy)).href).toBe('https://www.example.lv/');
    expect((await vetCheckUrl('http://www.example.lv/a#top', policy)).href).toBe('http://www.example.lv/a');
    expect((await vetCheckUrl('https://v6.example.lv/', policy)).hostname).toBe('v6.example.lv');
    expect((await vetCheckUrl('http://127.0.0.1:8080/', egressPolicy(true))).hostname).toBe('127.0.0.1'); // --allow-private
  });
});

describe('who a client is for the limits', () => {
  it('an IPv4 address, or an IPv6 /64 however it is written', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    const a = clientKey('2a00:1450:4001:80b::200e');
    expect(a).toBe('2a00:1450:4001:80b::/64');
    for (const same of ['2a00:1450:4001:80b:1::1', '2a00:1450:4001:080b:ffff:ffff:ffff:ffff', '2A00:1450:4001:80B::']) expect(clientKey(same), same).toBe(a);
    expect(clientKey('2a00:1450:4001:80c::1')).not.toBe(a);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});
