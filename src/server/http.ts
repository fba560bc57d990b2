// The dashboard's HTTP plumbing on node:http: responses with the security headers every one carries,
// bounded bodies, the route table and its dispatch (GET answers HEAD; a path known under another method
// is a 405 with Allow), and the server's limits on slow and greedy clients.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { LANGS, type Lang } from '../report/i18n.js';
import { errorMessage } from '../util/errors.js';
import type { Html } from '../util/html.js';
import { clientKey } from './checks.js';

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A downloaded report is a document of its own: its inline styles, nothing else. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const MAX_BODY = 16 * 1024;

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin', 'cache-control': 'no-store', ...headers,
  });
  res.end(body);
}

export const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, headers);

export async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `the request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'send JSON (content-type: application/json)');
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'the body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

function pickLang(req: IncomingMessage, url: URL): Lang {
  const asked = url.searchParams.get('lang');
  if (asked && LANGS.includes(asked as Lang)) return asked as Lang;
  return /^\s*lv\b/i.test(req.headers['accept-language'] ?? '') ? 'lv' : 'en';
}

/** A request as a route's handler sees it: `m` is the route's pattern matched against the path. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  lang: Lang;
  m: RegExpExecArray;
  /** Sends a dashboard page in the request's language. */
  page(status: number, title: string, body: Html, script?: boolean): void;
}
/** A method (GET answers HEAD too), the paths it answers, its handler. One table serves routing and 405's Allow. */
export type Route = [method: 'GET' | 'POST' | 'DELETE', path: RegExp, handle: (c: RouteContext) => unknown];

export interface Dispatch {
  routes: Route[];
  /** Lays a page out in the dashboard's frame. */
  layout(lang: Lang, title: string, body: Html, path: string, script: boolean): string;
  notFound(c: RouteContext): void;
  log(line: string): void;
}

/** The handler of every request: the matching route, else 405 or 404; an error as a clean answer. */
export function dispatcher(d: Dispatch): (req: IncomingMessage, res: ServerResponse) => void {
  const route = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const lang = pickLang(req, url);
    const page = (status: number, title: string, body: Html, script = false) => send(res, status, 'text/html; charset=utf-8', d.layout(lang, title, body, url.pathname, script));
    // HEAD is answered as GET (Node's response sends no body to a HEAD request): uptime monitors use it.
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
    const matching = d.routes.flatMap(([routeMethod, path, handle]) => {
      const m = path.exec(url.pathname);
      return m ? [{ routeMethod, handle, m }] : [];
    });
    const hit = matching.find((r) => r.routeMethod === method);
    const context = { req, res, url, lang, m: hit?.m ?? (/$/.exec('') as RegExpExecArray), page };
    if (hit) return void (await hit.handle(context));
    const allowed = [...new Set(matching.flatMap((r) => (r.routeMethod === 'GET' ? ['GET', 'HEAD'] : [r.routeMethod])))];
    if (allowed.length) return json(res, 405, { error: `${method} is not allowed here; allowed: ${allowed.join(', ')}` }, { allow: allowed.join(', ') });
    if (url.pathname.startsWith('/api/')) throw new HttpError(404, 'no such endpoint');
    return d.notFound(context);
  };
  return (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return json(res, 400, { error: 'bad request' });
    }
    route(req, res, url).catch((err) => {
      if (res.headersSent) return res.destroy();
      const status = err instanceof HttpError ? err.status : (err as { exitCode?: number }).exitCode === 2 ? 400 : 500;
      const message = status === 500 ? 'internal error' : errorMessage(err);
      if (status === 500) d.log(`error ${req.method} ${url.pathname}: ${errorMessage(err)}`);
      const headers = err instanceof HttpError ? err.headers : {};
      if (url.pathname.startsWith('/api/')) return json(res, status, { error: message }, headers);
      send(res, status, 'text/plain; charset=utf-8', `${message}\n`, headers);
    });
  };
}

export interface ServerLimits {
  /** Open connections at once; more are closed at once (default 256). */
  maxConnections?: number;
  /** Open connections one client may hold (default 16): one client cannot take them all. */
  maxConnectionsPerClient?: number;
  /** A request's headers must arrive within this, its whole body within requestTimeoutMs (slow clients are cut). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * The server, with slow clients cut (headers within 10 s, the whole request within 30 s, Node's own
 * timers, checked every second) and one client's connections capped, so it cannot hold every one of
 * maxConnections. Behind a trusted proxy every connection comes from the proxy: the cap is the proxy's
 * then, and the per-client limits of checks and admin attempts use the address it forwards.
 */
export function limitedServer(handler: (req: IncomingMessage, res: ServerResponse) => void, o: ServerLimits, trusted: Set<string>): Server {
  const server = createServer({ connectionsCheckingInterval: 1000 }, handler);
  server.maxConnections = o.maxConnections ?? 256;
  server.headersTimeout = o.headersTimeoutMs ?? 10_000;
  server.requestTimeout = o.requestTimeoutMs ?? 30_000;
  server.keepAliveTimeout = 5_000;
  const perClient = new Map<string, number>();
  const capPerClient = o.maxConnectionsPerClient ?? 16;
  server.on('connection', (socket) => {
    const peer = normalAddress(socket.remoteAddress ?? 'unknown');
    if (trusted.has(peer)) return;
    const key = clientKey(peer);
    const n = (perClient.get(key) ?? 0) + 1;
    if (n > capPerClient) return void socket.destroy();
    perClient.set(key, n);
    socket.once('close', () => {
      const left = (perClient.get(key) ?? 1) - 1;
      if (left > 0) perClient.set(key, left);
      else perClient.delete(key);
    });
  });
  return server;
}

/** The client of a request: its peer, or the address a trusted proxy forwards (the last hop it saw). */
export function clientOf(req: IncomingMessage, trusted: Set<string>): string {
  const peer = normalAddress(req.socket.remoteAddress ?? 'unknown');
  if (!trusted.has(peer)) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((a) => a.trim()).filter(Boolean).at(-1);
  return forwarded && isIP(forwarded) ? normalAddress(forwarded) : peer;
}

/** An address as one spelling: "::ffff:127.0.0.1" is 127.0.0.1. */
export function normalAddress(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}
