// The dashboard's HTTP layer on fastify: routes are declared (app.ts, admin.ts) and this module gives them
// what they share. Declared here: the security headers (@fastify/helmet, a strict CSP), the body limit,
// the trusted proxies, a 405 with Allow for a path known under other methods, errors as one clean answer
// (JSON under /api/, text elsewhere). Below fastify, on the node server: slow clients cut and one
// client's connections capped, which no plugin does.
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteHandlerMethod } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LANGS, type Lang } from '../report/i18n.js';
import { errorMessage } from '../util/errors.js';
import type { Html } from '../util/html.js';
import { clientKey } from './checks.js';

/** The dashboard's policy: its own script and style files, nothing inline, nothing from elsewhere. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A downloaded report is a document of its own: its inline styles, nothing else. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const MAX_BODY = 16 * 1024;
const SEND_JSON = 'send JSON (content-type: application/json)';

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
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

/** The app with its plugins and rules; the caller declares the routes, then listens. */
export async function dashboardServer(o: ServerLimits & { trustProxy: string[]; log: (line: string) => void }): Promise<FastifyInstance> {
  const app = Fastify({
    serverFactory: (handler) => limitedServer(handler, o, new Set(o.trustProxy.map(normalAddress))),
    bodyLimit: MAX_BODY,
    trustProxy: o.trustProxy.length ? o.trustProxy : false,
    forceCloseConnections: true,
    return503OnClosing: true,
    logger: false,
  });
  await app.register(helmet, {
    // The policy is one header of ours (below): a route may give a document of its own another one.
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // Served over plain HTTP behind whatever terminates TLS: that proxy decides HSTS.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('content-security-policy', CSP);
  });
  // Nothing is cached unless a route says so (static files).
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // The check form posts urlencoded; the route reads it (URLSearchParams).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; exitCode?: number }, req, reply) => {
    const { status, message, headers } = answerFor(err);
    if (status === 500) o.log(`error ${req.method} ${req.url.split('?')[0]}: ${errorMessage(err)}`);
    if (req.url.startsWith('/api/')) return sendJson(reply, status, { error: message }, headers);
    return sendBody(reply, status, 'text/plain; charset=utf-8', `${message}\n`, headers);
  });
  return app;
}

/** Our errors say what was wrong; fastify's own (a body too large, not JSON) in our words; the rest: internal. */
function answerFor(err: Error & { statusCode?: number; code?: string; exitCode?: number }): { status: number; message: string; headers: Record<string, string> } {
  if (err instanceof HttpError) return { status: err.status, message: err.message, headers: err.headers };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: `the request body is larger than ${MAX_BODY} bytes`, headers: {} };
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, message: SEND_JSON, headers: {} };
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) return { status: 400, message: 'the body is not valid JSON', headers: {} };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return { status: err.statusCode, message: err.message, headers: {} };
  if (err.exitCode === 2) return { status: 400, message: errorMessage(err), headers: {} };
  return { status: 500, message: 'internal error', headers: {} };
}

export type Method = 'GET' | 'POST' | 'DELETE';
/** One path and what each of its methods does (GET answers HEAD too). */
export interface RouteDecl {
  url: string;
  GET?: Handler; POST?: Handler; DELETE?: Handler;
  /** Route options for plugins (the admin routes' rate limit). */
  config?: Record<string, unknown>;
}
// Each route's handler types its own params; fastify checks them at run time by the route's pattern.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: FastifyRequest<any>, reply: FastifyReply) => unknown;

const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/**
 * Declares each path's methods (one path may be declared in two tables: GET /api/runs/N is the API's,
 * DELETE the admin's; a table's config goes with its own methods), and for every other method a 405
 * that names the allowed ones.
 */
export function declare(app: FastifyInstance, routes: RouteDecl[]) {
  const paths = new Map<string, Map<Method, { handler: Handler; config?: Record<string, unknown> }>>();
  for (const r of routes) {
    const methods = paths.get(r.url) ?? new Map();
    paths.set(r.url, methods);
    for (const m of ['GET', 'POST', 'DELETE'] as const) if (r[m]) methods.set(m, { handler: r[m]!, config: r.config });
  }
  for (const [url, methods] of paths) {
    for (const [method, { handler, config }] of methods) app.route({ method, url, handler: handler as RouteHandlerMethod, ...(config ? { config } : {}) });
    const allowed = [...methods.keys()].flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    app.route({
      method: OTHER_METHODS.filter((m) => !allowed.includes(m)), url, exposeHeadRoute: false,
      handler: async (req, reply) => sendJson(reply, 405, { error: `${req.method === 'HEAD' ? 'GET' : req.method} is not allowed here; allowed: ${allowed.join(', ')}` }, { allow: allowed.join(', ') }),
    });
  }
}

/** The request's language: ?lang=, else the browser's first choice when it is Latvian. */
export function langOf(req: FastifyRequest): Lang {
  const asked = (req.query as Record<string, string | undefined>).lang;
  if (asked && LANGS.includes(asked as Lang)) return asked as Lang;
  return /^\s*lv\b/i.test(req.headers['accept-language'] ?? '') ? 'lv' : 'en';
}

export const sendBody = (reply: FastifyReply, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  reply.code(status).headers(headers).type(type).send(body);

export const sendJson = (reply: FastifyReply, status: number, value: unknown, headers: Record<string, string> = {}) =>
  sendBody(reply, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, headers);

/** A dashboard page in the request's language, laid out by `layout`. */
export type PageSender = (reply: FastifyReply, status: number, title: string, body: Html, script?: boolean) => FastifyReply;

/** The JSON body of a request, an object; what else came is refused in words. */
export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, SEND_JSON);
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * The node server under fastify, with slow clients cut (headers within 10 s, the whole request within
 * 30 s, Node's own timers, checked every second) and one client's connections capped, so it cannot hold
 * every one of maxConnections. Behind a trusted proxy every connection comes from the proxy: the cap is
 * the proxy's then, and the per-client limits of checks and admin attempts use the address it forwards.
 */
function limitedServer(handler: (req: IncomingMessage, res: ServerResponse) => void, o: ServerLimits, trusted: Set<string>): Server {
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

/** The request's client: fastify's request.ip (the address a trusted proxy forwards), in one spelling. */
export const clientOf = (req: FastifyRequest): string => normalAddress(req.ip);

/** An address as one spelling: "::ffff:127.0.0.1" is 127.0.0.1. */
export function normalAddress(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}
