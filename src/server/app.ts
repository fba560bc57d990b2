// `eindex serve`: the dashboard and its JSON API on node:http. Reading is public; starting runs and
// schedules and deleting runs need the admin token. Every response carries a strict CSP.
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { defaultAuditOptions } from '../audit/options.js';
import { renderInstitutionsCsv, renderViolationsCsv } from '../report/csv.js';
import { LANGS, refusalText, t, type Lang } from '../report/i18n.js';
import { loadReportInput, reportRun, runSites } from '../report/load.js';
import { buildReport, siteReport, type Report } from '../report/model.js';
import { renderReportHtml, renderSiteHtml } from '../report/report-html.js';
import type { Store } from '../store/db.js';
import { loadTargets } from '../targets/targets.js';
import { errorMessage } from '../util/errors.js';
import { Mutex, withDeadline } from '../util/time.js';
import { PROJECT_ROOT } from '../version.js';
import { BusyError, CheckService, clientKey, hashedClient } from './checks.js';
import { RefusedError } from '../gather/egress.js';
import { APP_CSS, CHECK_JS, checkFormPage, checkPage, comparePage, institutionPage, layout, notFoundPage, runPage, statementPage, tableView } from './pages.js';

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const MAX_BODY = 16 * 1024;
/** Browsers ask for it even of JSON responses: an answer keeps their consoles clean. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f4e8c"/><path d="M4 4h8v2H6v1.5h5v2H6V11h6v2H4z" fill="#fff"/></svg>';

export interface AppOptions {
  store: Store;
  checks: CheckService;
  adminToken?: string;
  redisUrl?: string;
  targetsDir?: string;
  log?: (line: string) => void;
  /** Open connections at once; more are closed at once (default 256). */
  maxConnections?: number;
  /** Open connections one client may hold (default 16): one client cannot take them all. */
  maxConnectionsPerClient?: number;
  /** A request's headers must arrive within this, its whole body within requestTimeoutMs (slow clients are cut). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Addresses of reverse proxies whose X-Forwarded-For is believed: behind one, the client is the address
   * it forwards (the last hop it saw), not the proxy's own.
   */
  trustProxy?: string[];
  /** The server's public address (https://eindex.example.lv): shareable links are absolute. */
  publicUrl?: string;
}

/** Failed admin attempts one client may make in ADMIN_WINDOW_MS before it is turned away (429). */
const ADMIN_FAILURES = 5;
const ADMIN_WINDOW_MS = 15 * 60_000;
/** PDF exports waiting for Chromium beyond this are turned away (429), not queued for ever. */
const PDF_QUEUE = 2;

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function pickLang(req: IncomingMessage, url: URL): Lang {
  const asked = url.searchParams.get('lang');
  if (asked && LANGS.includes(asked as Lang)) return asked as Lang;
  return /^\s*lv\b/i.test(req.headers['accept-language'] ?? '') ? 'lv' : 'en';
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `the request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
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

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin', 'cache-control': 'no-store', ...headers,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, headers);

/** A request as a route's handler sees it: `m` is the route's pattern matched against the path. */
interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  lang: Lang;
  m: RegExpExecArray;
  /** Sends a dashboard page in the request's language. */
  page(status: number, title: string, body: string, script?: boolean): void;
}
/** A method (GET answers HEAD too), the paths it answers, its handler. One table serves routing and 405's Allow. */
type Route = [method: 'GET' | 'POST' | 'DELETE', path: RegExp, handle: (c: RouteContext) => unknown];

export function createApp(o: AppOptions): Server {
  const pdfLock = new Mutex();
  let adminRun: { id: number; exited: Promise<void> } | null = null;
  const log = o.log ?? (() => {});

  const trusted = new Set((o.trustProxy ?? []).map(normalAddress));
  const client = (req: IncomingMessage) => {
    const peer = normalAddress(req.socket.remoteAddress ?? 'unknown');
    if (!trusted.has(peer)) return peer;
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((a) => a.trim()).filter(Boolean).at(-1);
    return forwarded && isIP(forwarded) ? normalAddress(forwarded) : peer;
  };
  const salt = randomBytes(16);
  /** A client as the logs name it: a salted hash of its IPv4 address or IPv6 /64, never the address. */
  const clientTag = (req: IncomingMessage) => hashedClient(salt, client(req), 10);
  const adminFailures = new Map<string, number[]>();
  const requireAdmin = (req: IncomingMessage) => {
    if (!o.adminToken) throw new HttpError(403, 'administration is disabled: start eindex serve with EINDEX_ADMIN_TOKEN set');
    // The token is compared first: a correct one is never refused, whatever others sent before it (a
    // visitor behind the same proxy could otherwise keep the admin out with five requests).
    const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const want = Buffer.from(o.adminToken);
    if (given.length === want.length && timingSafeEqual(given, want)) return;
    const who = clientTag(req);
    const now = Date.now();
    const failures = (adminFailures.get(who) ?? []).filter((t) => now - t < ADMIN_WINDOW_MS);
    if (failures.length >= ADMIN_FAILURES) {
      throw new HttpError(429, `too many failed admin attempts; try again in ${Math.ceil((failures[0]! + ADMIN_WINDOW_MS - now) / 60_000)} min`, { 'retry-after': String(Math.ceil((failures[0]! + ADMIN_WINDOW_MS - now) / 1000)) });
    }
    {
      failures.push(now);
      adminFailures.set(who, failures);
      if (adminFailures.size > 10_000) adminFailures.delete(adminFailures.keys().next().value!);
      log(`admin: refused ${req.method} ${req.url} from client ${who} (bad or missing token; ${failures.length} in 15 min)`);
      throw new HttpError(401, 'a valid admin token is needed (Authorization: Bearer …)', { 'www-authenticate': 'Bearer' });
    }
  };
  /**
   * A form post must come from this dashboard's own pages (no cross-site submission on a visitor's behalf).
   * Browsers say where a request comes from in Sec-Fetch-Site; our pages' no-referrer policy makes them
   * send "Origin: null" on form posts, so Origin is only read when Sec-Fetch-Site is absent.
   */
  const requireSameOrigin = (req: IncomingMessage) => {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) {
      if (site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'the form must be sent from this dashboard');
      return;
    }
    const origin = req.headers.origin;
    if (origin === undefined) return; // not a browser: nothing to check
    let host = '';
    try {
      host = new URL(origin).host;
    } catch { /* "null" and other opaque origins */ }
    // Behind a reverse proxy that rewrites Host, the public host is in X-Forwarded-Host.
    const forwarded = String(req.headers['x-forwarded-host'] ?? '').split(',')[0]!.trim();
    if (!host || (host !== req.headers.host && host !== forwarded)) throw new HttpError(403, 'the form must be sent from this dashboard');
  };
  let pdfWaiting = 0;
  // A finished run's report never changes (but for a deletion): keep the last few built. Shared: read only.
  const reports = new Map<number, Report>();
  const runReport = (runId: number): Report => {
    const run = o.store.run(runId);
    if (!run) throw new HttpError(404, `no run ${runId}`);
    const cached = run.status === 'done' ? reports.get(runId) : undefined;
    if (cached) return cached;
    const report = buildReport(loadReportInput(o.store, run));
    if (run.status === 'done') {
      reports.set(runId, report);
      if (reports.size > 4) reports.delete(reports.keys().next().value!);
    }
    return report;
  };

  const runsPage = (c: RouteContext, run: ReturnType<Store['run']>) => {
    const { lang, page, m } = c;
    if (m[1] && !run) return page(404, t(lang, 'notFoundPage'), notFoundPage(lang));
    return page(200, t(lang, 'navRuns'), runPage(lang, run ? runReport(run.id) : null, o.store.runs(30), !m[1], tableView(c.url.searchParams)));
  };
  const routes: Route[] = [
    ['GET', /^\/static\/app\.css$/, ({ res }) => send(res, 200, 'text/css; charset=utf-8', APP_CSS, { 'cache-control': 'public, max-age=3600' })],
    ['GET', /^\/static\/check\.js$/, ({ res }) => send(res, 200, 'text/javascript; charset=utf-8', CHECK_JS, { 'cache-control': 'public, max-age=3600' })],
    ['GET', /^\/favicon\.ico$/, ({ res }) => send(res, 200, 'image/svg+xml', FAVICON, { 'cache-control': 'public, max-age=86400' })],
    ['GET', /^\/healthz$/, ({ res }) => json(res, 200, { ok: true, openChecks: o.checks.open })],

    // Pages
    ['GET', /^\/$/, (c) => runsPage(c, o.store.latestRun())],
    ['GET', /^\/runs\/(\d+)$/, (c) => runsPage(c, o.store.run(Number(c.m[1])))],
    ['GET', /^\/runs\/(\d+)\/institutions\/([a-z0-9._-]+)$/, ({ lang, page, m }) => {
      const report = o.store.run(Number(m[1])) ? runReport(Number(m[1])) : null;
      const inst = report?.institutions.find((i) => i.id === m[2]);
      if (!report || !inst) return page(404, t(lang, 'notFoundPage'), notFoundPage(lang));
      return page(200, inst.name, institutionPage(lang, report.run.id, inst, o.store.history(inst.id), o.store.siteResult(report.run.id, inst.id)));
    }],
    ['GET', /^\/compare$/, ({ url, lang, page }) => {
      const from = o.store.run(Number(url.searchParams.get('from')));
      const to = o.store.run(Number(url.searchParams.get('to')));
      if (!from || !to) throw new HttpError(400, 'name two stored runs: /compare?from=RUN&to=RUN');
      const input = loadReportInput(o.store, to);
      const report = buildReport({ ...input, previous: { run: reportRun(from), sites: runSites(o.store, from) } });
      return page(200, t(lang, 'compare'), comparePage(lang, report, from.id, o.store.runs(100)));
    }],
    ['GET', /^\/runs\/(\d+)\/report\.(html|pdf|csv|json)$/, async ({ res, url, lang, m }) => {
      const whole = runReport(Number(m[1]));
      const only = url.searchParams.get('institution');
      const report = only ? { ...whole, institutions: whole.institutions.filter((i) => i.id === only) } : whole;
      const name = `eindex-run-${report.run.id}${only ? `-${only.replace(/[^a-z0-9._-]/g, '')}` : ''}-${lang}.${m[2]}`;
      const disposition = { 'content-disposition': `attachment; filename="${name}"` };
      if (m[2] === 'json') return json(res, 200, report, disposition);
      if (m[2] === 'csv') {
        const sites = url.searchParams.get('detail') ? new Map(runSites(o.store, o.store.run(report.run.id)!, only ?? undefined).map((s) => [s.id, s.result])) : null;
        return send(res, 200, 'text/csv; charset=utf-8', sites ? renderViolationsCsv(report, sites) : renderInstitutionsCsv(report, lang), disposition);
      }
      const html = renderReportHtml(report, lang);
      if (m[2] === 'html') return send(res, 200, 'text/html; charset=utf-8', html, { ...disposition, 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
      const { renderPdf } = await import('../report/pdf.js');
      if (pdfWaiting >= PDF_QUEUE) throw new HttpError(429, 'the server is busy making PDFs; try again in a minute', { 'retry-after': '60' });
      pdfWaiting++;
      const pdf = await pdfLock.run(() => renderPdf(html, lang, `${t(lang, 'reportTitle')} — ${t(lang, 'run')} ${report.run.id}`)).finally(() => pdfWaiting--);
      return send(res, 200, 'application/pdf', pdf, disposition);
    }],
    ['GET', /^\/accessibility$/, ({ lang, page }) => page(200, t(lang, 'statementTitle'), statementPage(lang))],
    ['GET', /^\/check$/, ({ lang, page }) => page(200, t(lang, 'navCheck'), checkFormPage(lang))],
    ['POST', /^\/check$/, async ({ req, res, lang, page }) => {
      requireSameOrigin(req);
      const value = new URLSearchParams(await readBody(req)).get('url') ?? '';
      try {
        const id = await o.checks.submit(value, client(req));
        res.writeHead(303, { location: `/checks/${id}?lang=${lang}`, 'content-security-policy': CSP }).end();
      } catch (err) {
        if (!(err instanceof RefusedError || err instanceof BusyError)) throw err;
        page(err instanceof BusyError ? 429 : 400, t(lang, 'navCheck'), checkFormPage(lang, { message: refusalText(lang, err.message), value }));
      }
    }],
    ['GET', /^\/checks\/([A-Za-z0-9_-]+)$/, ({ lang, page, m }) => {
      const c = o.checks.view(m[1]!);
      if (!c) return page(404, t(lang, 'notFoundPage'), notFoundPage(lang));
      return page(200, `${t(lang, 'checkTitle')}: ${c.url}`, checkPage(lang, c, c.result ? siteReport(c.result) : null, o.publicUrl), c.status === 'queued' || c.status === 'running');
    }],
    ['GET', /^\/checks\/([A-Za-z0-9_-]+)\/(report\.html|result\.json)$/, ({ res, lang, m }) => {
      const c = o.checks.view(m[1]!);
      if (!c?.result) throw new HttpError(404, 'no finished check with that id');
      const name = `eindex-check-${m[1]}`;
      if (m[2] === 'result.json') return json(res, 200, c.result, { 'content-disposition': `attachment; filename="${name}.json"` });
      return send(res, 200, 'text/html; charset=utf-8', renderSiteHtml(c.result, lang), { 'content-disposition': `attachment; filename="${name}-${lang}.html"`, 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
    }],

    // API
    ['GET', /^\/api\/runs$/, ({ res }) => json(res, 200, { runs: o.store.runs(100).map((r) => ({ id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, sites: r.sites, ok: r.ok ?? 0 })) })],
    ['GET', /^\/api\/runs\/(\d+)$/, ({ res, m }) => json(res, 200, runReport(Number(m[1])))],
    ['GET', /^\/api\/runs\/(\d+)\/institutions\/([a-z0-9._-]+)$/, ({ res, m }) => {
      const result = o.store.siteResult(Number(m[1]), m[2]!);
      if (!result) throw new HttpError(404, `run ${m[1]} has no result for ${m[2]}`);
      return json(res, 200, result);
    }],
    ['GET', /^\/api\/institutions\/([a-z0-9._-]+)\/history$/, ({ res, m }) =>
      json(res, 200, { id: m[1], history: o.store.history(m[1]!).map((h) => ({ runId: h.run_id, startedAt: h.started_at, status: h.status, grade: h.grade, accessibilityScore: h.accessibility_score, mobileScore: h.mobile_score, mobileFriendly: h.mobile_friendly === null ? null : !!h.mobile_friendly })) })],
    ['POST', /^\/api\/checks$/, async ({ req, res }) => {
      const body = await readJson(req);
      try {
        const id = await o.checks.submit(body.url, client(req));
        return json(res, 202, { id, status: 'queued', url: `/api/checks/${id}`, page: `/checks/${id}` }, { location: `/api/checks/${id}` });
      } catch (err) {
        if (err instanceof RefusedError) throw new HttpError(422, err.message);
        if (err instanceof BusyError) throw new HttpError(429, err.message, { 'retry-after': String(err.retryAfterS) });
        throw err;
      }
    }],
    ['GET', /^\/api\/checks\/([A-Za-z0-9_-]+)$/, ({ res, m }) => {
      const c = o.checks.view(m[1]!);
      if (!c) throw new HttpError(404, 'no such check');
      return json(res, 200, c);
    }],
    ['DELETE', /^\/api\/runs\/(\d+)$/, ({ req, res, m }) => {
      requireAdmin(req);
      if (!o.store.deleteRun(Number(m[1]))) throw new HttpError(404, `no finished run ${m[1]} to delete`);
      reports.clear(); // the next run's "previous run" may have been this one
      log(`admin: deleted run ${m[1]}`);
      return json(res, 200, { deleted: Number(m[1]) });
    }],
    ['POST', /^\/api\/runs$/, ({ req, res }) => startRun(req, res)],
    ['POST', /^\/api\/schedules$/, ({ req, res }) => addSchedule(req, res)],
  ];

  async function route(req: IncomingMessage, res: ServerResponse, url: URL) {
    const lang = pickLang(req, url);
    const page = (status: number, title: string, body: string, script = false) => send(res, status, 'text/html; charset=utf-8', layout(lang, title, body, { path: url.pathname, script }));
    // HEAD is answered as GET (Node's response sends no body to a HEAD request): uptime monitors use it.
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
    const matching = routes.flatMap(([routeMethod, path, handle]) => {
      const m = path.exec(url.pathname);
      return m ? [{ routeMethod, handle, m }] : [];
    });
    const hit = matching.find((r) => r.routeMethod === method);
    if (hit) return void (await hit.handle({ req, res, url, lang, m: hit.m, page }));
    const allowed = [...new Set(matching.flatMap((r) => (r.routeMethod === 'GET' ? ['GET', 'HEAD'] : [r.routeMethod])))];
    if (allowed.length) return json(res, 405, { error: `${method} is not allowed here; allowed: ${allowed.join(', ')}` }, { allow: allowed.join(', ') });
    if (url.pathname.startsWith('/api/')) throw new HttpError(404, 'no such endpoint');
    return page(404, t(lang, 'notFoundPage'), notFoundPage(lang));
  }

  /** Admin: a run of a registry in the targets folder, carried out by a process of its own. */
  async function startRun(req: IncomingMessage, res: ServerResponse) {
    requireAdmin(req);
    const body = await readJson(req);
    const targetsFile = targetsPath(body.targets);
    const targets = loadTargets(targetsFile);
    const { createRun } = await import('../run/run.js');
    // From the check below to claiming adminRun nothing waits: two requests cannot both pass it.
    if (adminRun) {
      // Marked done in the store, its process may still be closing its browsers: wait for that, not the user.
      if (o.store.run(adminRun.id)?.status === 'running') throw new HttpError(409, 'a run started from the dashboard is still going');
      await withDeadline('the finished run to exit', 30_000, adminRun.exited).catch(() => {});
      if (adminRun) throw new HttpError(409, 'a run started from the dashboard is still going'); // another request was first
    }
    const runId = createRun(o.store, o.redisUrl ? 'bullmq' : 'in-process', targetsFile, targets, defaultAuditOptions());
    // The run is carried out by `eindex run --resume` in a process of its own: no audit work (browsers,
    // robots.txt and sitemap parsing, or the BullMQ collector) on the web server's event loop.
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'eindex.js'), 'run', targetsFile, '--db', o.store.path, '--resume', '--quiet', ...(o.redisUrl ? ['--redis', o.redisUrl] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => { for (const line of text.split('\n')) if (line.trim()) log(`run ${runId}: ${line.slice(0, 500)}`); });
    const stop = () => child.kill('SIGTERM');
    server.once('close', stop);
    const exited = new Promise<void>((done) => child.once('exit', (code, signal) => {
      server.off('close', stop);
      if (o.store.run(runId)?.status === 'running') { // an exit code of 1 (a site below --fail-under) after "done" is no interruption
        o.store.finishRun(runId, 'interrupted');
        log(`run ${runId} stopped (${signal ?? `exit ${code}`}): eindex run ${targetsFile} --resume finishes it`);
      }
      if (adminRun?.id === runId) adminRun = null;
      done();
    }));
    adminRun = { id: runId, exited };
    log(`admin: started run ${runId} of ${targetsFile}`);
    return json(res, 202, { runId, targets: targets.length }, { location: `/api/runs/${runId}` });
  }

  /** Admin: a schedule of runs of a registry (needs --redis). */
  async function addSchedule(req: IncomingMessage, res: ServerResponse) {
    requireAdmin(req);
    if (!o.redisUrl) throw new HttpError(409, 'schedules need the server to run with --redis');
    const body = await readJson(req);
    const targetsFile = targetsPath(body.targets);
    if (typeof body.cron !== 'string' || !/^[\d*/,\- ]+$/.test(body.cron)) throw new HttpError(400, 'cron must be a cron pattern, e.g. "0 2 * * *"');
    const tz = typeof body.tz === 'string' ? body.tz : 'Europe/Riga';
    const { Queue } = await import('bullmq');
    const { connect } = await import('../queue/executor.js');
    const { RUNS_QUEUE } = await import('../queue/jobs.js');
    const { declareSchedule } = await import('../queue/schedule.js');
    const connection = connect(o.redisUrl);
    const queue = new Queue(RUNS_QUEUE, { connection });
    try {
      const { name } = await declareSchedule(queue, { targetsFile, cron: body.cron, tz, options: defaultAuditOptions() });
      log(`admin: schedule ${name} ${body.cron} ${tz}`);
      return json(res, 201, { name, cron: body.cron, tz });
    } finally {
      await queue.close().catch(() => {});
      connection.disconnect();
    }
  }

  const targetsPath = (name: unknown): string => {
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+\.ya?ml$/.test(name)) throw new HttpError(400, 'targets must be the file name of a registry in the targets folder, e.g. "latvia.yaml"');
    const file = resolve(o.targetsDir ?? join(PROJECT_ROOT, 'targets'), name);
    if (!existsSync(file)) throw new HttpError(404, `no registry ${name}`);
    return file;
  };

  // Timeouts are checked every second (Node's default, 30 s, would let a slow client hold on that long).
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
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
      if (status === 500) log(`error ${req.method} ${url.pathname}: ${errorMessage(err)}`);
      if (url.pathname.startsWith('/api/')) return json(res, status, { error: message }, err instanceof HttpError ? err.headers : {});
      send(res, status, 'text/plain; charset=utf-8', `${message}\n`, err instanceof HttpError ? err.headers : {});
    });
  });
  server.maxConnections = o.maxConnections ?? 256;
  // Slow clients are cut: headers within 10 s, the whole request within 30 s (Node's own timers).
  server.headersTimeout = o.headersTimeoutMs ?? 10_000;
  server.requestTimeout = o.requestTimeoutMs ?? 30_000;
  server.keepAliveTimeout = 5_000;
  // One client's connections are capped, so it cannot hold every one of maxConnections. Behind a trusted
  // proxy every connection comes from the proxy: the cap is the proxy's then, and the per-client limits
  // of checks and admin attempts use the address it forwards.
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

/** An address as one spelling: "::ffff:127.0.0.1" is 127.0.0.1. */
function normalAddress(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}
