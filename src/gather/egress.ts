// The egress guard: a forward proxy on 127.0.0.1 through which a guarded audit's Chromium
// and its robots/sitemap fetches must go. Each connection's host is resolved here and the connection is
// made to the very address that was checked, so neither a redirect nor DNS rebinding (a name that
// answers a public address first and an internal one later) can reach an internal address. Self-service
// checks go through it always; registry runs for every target not marked `private` (src/run/auditor.ts).
import { lookup as dnsLookup } from 'node:dns/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BlockList, connect, isIP, type Socket } from 'node:net';

const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  // The NAT64 prefixes (well-known and local-use); discard-only; Teredo and ORCHID (2001::/23); documentation
  // (2001:db8::/32, 3fff::/20); 6to4; unique-local; link-local; site-local; multicast. IPv4-compatible
  // (::/96) and IPv4-mapped (::ffff:0:0/96) addresses are judged in isInternalAddress: in a BlockList they
  // would match every IPv4 address.
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['3fff::', 20],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) INTERNAL.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, shared, reserved, documentation, multicast, and IPv4 hidden in IPv6. */
export function isInternalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d, or ::ffff:7f00:1 as the URL parser writes it): judge the IPv4 address.
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (dotted) return isInternalAddress(dotted[1]!);
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
    if (hex) {
      const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
      return isInternalAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291; ::127.0.0.1 reaches loopback on some stacks), and
    // :: and ::1 with them: the upper 96 bits are zero.
    if (upper96Zero(ip)) return true;
    // IPv4-translated (::ffff:0:a.b.c.d, ::ffff:0:0/96, RFC 2765 SIIT): never a public destination, and a
    // network that translates it reaches the IPv4 address inside, loopback included.
    const g = ipv6Groups(ip);
    if (g.length === 8 && g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0) return true;
    return INTERNAL.check(ip, 'ipv6');
  }
  return INTERNAL.check(ip, 'ipv4');
}

/** The eight 16-bit groups of an IPv6 address as numbers ("::" expanded, a dotted IPv4 tail as two groups). */
export function ipv6Groups(ip: string): number[] {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const text = v4 ? ip.replace(v4[0], `${((+v4[1]! << 8) | +v4[2]!).toString(16)}:${((+v4[3]! << 8) | +v4[4]!).toString(16)}`) : ip;
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.map((g) => parseInt(g || '0', 16) || 0);
}

/** Whether the first six 16-bit groups of an IPv6 address are zero. */
function upper96Zero(ip: string): boolean {
  const groups = ipv6Groups(ip);
  return groups.length === 8 && groups.slice(0, 6).every((g) => g === 0);
}

export class RefusedError extends Error {}

export interface EgressPolicy {
  /** Whether a connection to this address may be made (default: not internal). */
  allowAddress?: (ip: string) => boolean;
  /** Ports a check may connect to (default 80, 443, 8080, 8443). */
  allowPort?: (port: number) => boolean;
  /** Name resolution (default: the system resolver); tests give one that rebinds. */
  resolve?: (host: string) => Promise<string[]>;
}

const DEFAULT_PORTS = new Set([80, 443, 8080, 8443]);

export function egressPolicy(allowPrivate: boolean, p: EgressPolicy = {}): Required<EgressPolicy> {
  return {
    allowAddress: p.allowAddress ?? ((ip) => allowPrivate || !isInternalAddress(ip)),
    allowPort: p.allowPort ?? ((port) => allowPrivate || DEFAULT_PORTS.has(port)),
    resolve: p.resolve ?? (async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address)),
  };
}

export type HostKind = 'internal' | 'public' | 'unresolved';
/** Where a host (name or literal address) leads under the policy: an address it refuses, only ones it allows, or nowhere. */
export async function hostKind(host: string, policy: Required<EgressPolicy>): Promise<HostKind> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [bare] : await policy.resolve(bare).catch(() => [] as string[]);
  if (!addresses.length) return 'unresolved';
  return addresses.some((a) => !policy.allowAddress(a)) ? 'internal' : 'public';
}

/** The address to connect to for host:port, or a RefusedError saying why not. Every address must pass. */
export async function vetHost(host: string, port: number, policy: Required<EgressPolicy>): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (!policy.allowPort(port)) throw new RefusedError(`port ${port} is not allowed`);
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else {
    try {
      addresses = await policy.resolve(bare);
    } catch {
      throw new RefusedError(`${bare} does not resolve`);
    }
  }
  if (!addresses.length) throw new RefusedError(`${bare} does not resolve`);
  const bad = addresses.find((a) => !policy.allowAddress(a));
  // The reason, never the address: a public result must not tell which internal address a name has.
  if (bad) throw new RefusedError(`${bare} resolves to an internal address`);
  return addresses[0]!;
}

/** Refuses what a check must never be pointed at, before anything is queued. */
export async function vetCheckUrl(raw: unknown, policy: Required<EgressPolicy>): Promise<URL> {
  if (typeof raw !== 'string' || !raw.trim()) throw new RefusedError('give the address of a website, e.g. https://www.example.lv/');
  if (raw.length > 2000) throw new RefusedError('the address is too long');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
  } catch {
    throw new RefusedError('not a web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedError(`only http and https addresses can be checked, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw new RefusedError('addresses with a user name or password cannot be checked');
  await vetHost(url.hostname, Number(url.port || (url.protocol === 'https:' ? 443 : 80)), policy);
  url.hash = '';
  return url;
}

export interface EgressGuard { url: string; refused: string[]; /** Upstream connections open now. */ openUpstream(): number; close(): Promise<void> }

function deny(socket: Socket, why: string) {
  socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\nx-eindex-refused: ${why.replace(/[\r\n]/g, ' ')}\r\n\r\n${why}\n`);
}

/**
 * What one guard lets a page hold: an upstream connection idle this long, or open this long in all, is
 * closed; at most this many at once, and this many to one host (a page that opens thousands of requests
 * and abandons them cannot take the process's file descriptors).
 */
export interface GuardLimits { idleMs: number; totalMs: number; maxUpstream: number; maxUpstreamPerHost: number }
export const GUARD_LIMITS: GuardLimits = { idleMs: 30_000, totalMs: 300_000, maxUpstream: 512, maxUpstreamPerHost: 64 };

/** The guard's upstream connections, counted against GuardLimits. */
class UpstreamBudget {
  readonly #open = new Map<string, number>();
  total = 0;

  constructor(private readonly limits: GuardLimits) {}

  /** Counts an upstream connection in, or refuses it over the caps; the returned function counts it out. */
  admit(host: string): () => void {
    const mine = this.#open.get(host) ?? 0;
    if (this.total >= this.limits.maxUpstream || mine >= this.limits.maxUpstreamPerHost) throw new RefusedError(`too many connections to ${host} at once`);
    this.#open.set(host, mine + 1);
    this.total++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.total--;
      const n = (this.#open.get(host) ?? 1) - 1;
      if (n > 0) this.#open.set(host, n);
      else this.#open.delete(host);
    };
  }

  /** Idle and total bounds on an upstream socket or request: past either it is destroyed. */
  bound(upstream: { setTimeout(ms: number, cb: () => void): unknown; destroy(): unknown; once(e: 'close', cb: () => void): unknown }, release: () => void) {
    upstream.setTimeout(this.limits.idleMs, () => upstream.destroy());
    const whole = setTimeout(() => upstream.destroy(), this.limits.totalMs);
    whole.unref();
    upstream.once('close', () => {
      clearTimeout(whole);
      release();
    });
  }
}

interface Guarding { policy: Required<EgressPolicy>; budget: UpstreamBudget; refused: string[] }

/** Plain HTTP: an absolute URL in the request line, forwarded once vetted. */
async function forwardHttp(g: Guarding, req: IncomingMessage, res: ServerResponse) {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  try {
    if (target.protocol !== 'http:') throw new RefusedError(`scheme ${target.protocol} not allowed`);
    const port = Number(target.port || 80);
    const address = await vetHost(target.hostname, port, g.policy);
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const release = g.budget.admit(target.host);
    // A connection of its own (no keep-alive pool), closed with the browser's side: a request the page
    // abandons (fetch aborted, tab closed) must not leave its upstream socket open for ever.
    const upstream = httpRequest({ host: address, port, method: req.method, path: `${target.pathname}${target.search}`, headers, setHost: false, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    g.budget.bound(upstream, release);
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  } catch (err) {
    const why = err instanceof RefusedError ? err.message : 'bad gateway';
    g.refused.push(`${target.host}: ${why}`);
    res.writeHead(403, { 'content-type': 'text/plain', 'x-eindex-refused': why }).end(`${why}\n`);
  }
}

/** HTTPS: a CONNECT tunnel to a vetted address. */
async function tunnel(g: Guarding, req: IncomingMessage, client: Socket, head: Buffer) {
  client.on('error', () => {});
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
  if (!m) return deny(client, 'bad CONNECT target');
  try {
    const port = Number(m[2]);
    const address = await vetHost(m[1]!, port, g.policy);
    const release = g.budget.admit(`${m[1]}:${port}`);
    const upstream = connect({ host: address, port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    g.budget.bound(upstream, release);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  } catch (err) {
    const why = err instanceof RefusedError ? err.message : 'bad gateway';
    g.refused.push(`${m[1]}: ${why}`);
    deny(client, why);
  }
}

/** Starts the proxy. `refused` lists what it turned away (for the check's log and the tests). */
export async function startEgressGuard(policy: Required<EgressPolicy>, limits: GuardLimits = GUARD_LIMITS): Promise<EgressGuard> {
  const g: Guarding = { policy, budget: new UpstreamBudget(limits), refused: [] };
  const server: Server = createServer((req, res) => void forwardHttp(g, req, res));
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => void tunnel(g, req, client, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    refused: g.refused,
    openUpstream: () => g.budget.total,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
