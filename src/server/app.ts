// `eindex serve`: the dashboard and its JSON API on fastify. Reading is public; starting runs and
// schedules and deleting runs need the admin token (admin.ts). The routes are declared here by area;
// http.ts holds the plugins and rules every response shares (headers, limits, errors, 405).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderInstitutionsCsv, renderViolationsCsv } from '../report/csv.js';
import { refusalText, t } from '../report/i18n.js';
import { loadReportInput, reportRun, runSites } from '../report/load.js';
import { buildReport, siteReport, type Report } from '../report/model.js';
import { renderReportHtml, renderSiteHtml } from '../report/report-html.js';
import type { Store } from '../store/db.js';
import { Mutex } from '../util/time.js';
import { RefusedError } from '../gather/egress.js';
import { AdminGate, adminRoutes, requireSameOrigin } from './admin.js';
import { BusyError, CheckService } from './checks.js';
import { HttpError, REPORT_CSP, clientOf, dashboardServer, declare, jsonBody, langOf, sendBody, sendJson, type PageSender, type RouteDecl, type ServerLimits } from './http.js';
import { APP_CSS, CHECK_JS, checkFormPage, checkPage, comparePage, institutionPage, layout, notFoundPage, runPage, statementPage, tableView } from './pages.js';

export { CSP } from './http.js';

/** Browsers ask for it even of JSON responses: an answer keeps their consoles clean. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f4e8c"/><path d="M4 4h8v2H6v1.5h5v2H6V11h6v2H4z" fill="#fff"/></svg>';
/** PDF exports waiting for Chromium beyond this are turned away (429), not queued for ever. */
const PDF_QUEUE = 2;

export interface AppOptions extends ServerLimits {
  store: Store;
  checks: CheckService;
  adminToken?: string;
  redisUrl?: string;
  targetsDir?: string;
  log?: (line: string) => void;
  /**
   * Addresses of reverse proxies whose X-Forwarded-For is believed: behind one, the client is the address
   * it forwards (the last hop it saw), not the proxy's own.
   */
  trustProxy?: string[];
  /** The server's public address (https://eindex.example.lv): shareable links are absolute. */
  publicUrl?: string;
}

type Req<P = Record<string, string>> = FastifyRequest<{ Params: P; Querystring: Record<string, string | undefined> }>;
const RUN = ':run(^\\d+$)';
const ID = ':id(^[a-z0-9._-]+$)';
const CHECK = ':check(^[A-Za-z0-9_-]+$)';

export async function createApp(o: AppOptions): Promise<FastifyInstance> {
  const log = o.log ?? (() => {});
  const app = await dashboardServer({ ...o, trustProxy: o.trustProxy ?? [], log });
  await app.register(rateLimit, { global: false });
  const gate = new AdminGate(o.adminToken, log);
  const reports = new RunReports(o.store);
  const page: PageSender = (reply, status, title, body, script = false) =>
    sendBody(reply, status, 'text/html; charset=utf-8', layout(langOf(reply.request), title, body, { path: ownPath(reply.request.url), script }));
  const notFound = (req: FastifyRequest, reply: FastifyReply) => page(reply, 404, t(langOf(req), 'notFoundPage'), notFoundPage(langOf(req)));
  declare(app, [
    ...assetRoutes(o),
    ...pageRoutes(o, reports, page, notFound),
    ...exportRoutes(o, reports),
    ...checkRoutes(o, page, notFound),
    ...apiRoutes(o, reports),
    ...adminRoutes({ gate, store: o.store, redisUrl: o.redisUrl, targetsDir: o.targetsDir, log, app, onDeleted: () => reports.clear() }),
  ]);
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) throw new HttpError(404, 'no such endpoint');
    return notFound(req, reply);
  });
  return app;
}

/** A finished run's report never changes (but for a deletion): the last few built are kept. Read only. */
class RunReports {
  readonly #cache = new Map<number, Report>();
  constructor(private readonly store: Store) {}

  get(runId: number): Report {
    const run = this.store.run(runId);
    if (!run) throw new HttpError(404, `no run ${runId}`);
    const cached = run.status === 'done' ? this.#cache.get(runId) : undefined;
    if (cached) return cached;
    const report = buildReport(loadReportInput(this.store, run));
    if (run.status === 'done') {
      this.#cache.set(runId, report);
      if (this.#cache.size > 4) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return report;
  }

  clear() {
    this.#cache.clear();
  }
}

const cached = (seconds: number) => ({ 'cache-control': `public, max-age=${seconds}` });

function assetRoutes(o: AppOptions): RouteDecl[] {
  return [
    { url: '/static/app.css', GET: (_req, reply) => sendBody(reply, 200, 'text/css; charset=utf-8', APP_CSS, cached(3600)) },
    { url: '/static/check.js', GET: (_req, reply) => sendBody(reply, 200, 'text/javascript; charset=utf-8', CHECK_JS, cached(3600)) },
    { url: '/favicon.ico', GET: (_req, reply) => sendBody(reply, 200, 'image/svg+xml', FAVICON, cached(86400)) },
    { url: '/healthz', GET: (_req, reply) => sendJson(reply, 200, { ok: true, openChecks: o.checks.open }) },
  ];
}

function pageRoutes(o: AppOptions, reports: RunReports, page: PageSender, notFound: (req: FastifyRequest, reply: FastifyReply) => unknown): RouteDecl[] {
  const runsPage = (req: Req, reply: FastifyReply, run: ReturnType<Store['run']>, home: boolean) => {
    const lang = langOf(req);
    if (!home && !run) return notFound(req, reply);
    return page(reply, 200, t(lang, 'navRuns'), runPage(lang, run ? reports.get(run.id) : null, o.store.runs(30), home, tableView(new URLSearchParams(req.query as Record<string, string>))));
  };
  return [
    { url: '/', GET: (req: Req, reply) => runsPage(req, reply, o.store.latestRun(), true) },
    { url: `/runs/${RUN}`, GET: (req: Req<{ run: string }>, reply) => runsPage(req, reply, o.store.run(Number(req.params.run)), false) },
    {
      url: `/runs/${RUN}/institutions/${ID}`,
      GET: (req: Req<{ run: string; id: string }>, reply) => {
        const lang = langOf(req);
        const runId = Number(req.params.run);
        const report = o.store.run(runId) ? reports.get(runId) : null;
        const inst = report?.institutions.find((i) => i.id === req.params.id);
        if (!report || !inst) return notFound(req, reply);
        return page(reply, 200, inst.name, institutionPage(lang, report.run.id, inst, o.store.history(inst.id), o.store.siteResult(report.run.id, inst.id)));
      },
    },
    {
      url: '/compare',
      GET: (req: Req, reply) => {
        const lang = langOf(req);
        const from = o.store.run(Number(req.query.from));
        const to = o.store.run(Number(req.query.to));
        if (!from || !to) throw new HttpError(400, 'name two stored runs: /compare?from=RUN&to=RUN');
        const report = buildReport({ ...loadReportInput(o.store, to), previous: { run: reportRun(from), sites: runSites(o.store, from) } });
        return page(reply, 200, t(lang, 'compare'), comparePage(lang, report, from.id, o.store.runs(100)));
      },
    },
    { url: '/accessibility', GET: (req, reply) => page(reply, 200, t(langOf(req), 'statementTitle'), statementPage(langOf(req))) },
  ];
}

/** A run's report to download: HTML, PDF (one Chromium, a bounded queue), CSV, JSON. */
function exportRoutes(o: AppOptions, reports: RunReports): RouteDecl[] {
  const pdfLock = new Mutex();
  let pdfWaiting = 0;
  return [{
    url: `/runs/${RUN}/report.:format(^(html|pdf|csv|json)$)`,
    GET: async (req: Req<{ run: string; format: string }>, reply) => {
      const lang = langOf(req);
      const format = req.params.format;
      const whole = reports.get(Number(req.params.run));
      const only = req.query.institution;
      const report = only ? { ...whole, institutions: whole.institutions.filter((i) => i.id === only) } : whole;
      const name = `eindex-run-${report.run.id}${only ? `-${only.replace(/[^a-z0-9._-]/g, '')}` : ''}-${lang}.${format}`;
      const disposition = { 'content-disposition': `attachment; filename="${name}"` };
      if (format === 'json') return sendJson(reply, 200, report, disposition);
      if (format === 'csv') {
        const sites = req.query.detail ? new Map(runSites(o.store, o.store.run(report.run.id)!, only ?? undefined).map((s) => [s.id, s.result])) : null;
        return sendBody(reply, 200, 'text/csv; charset=utf-8', sites ? renderViolationsCsv(report, sites, lang) : renderInstitutionsCsv(report, lang), disposition);
      }
      const html = renderReportHtml(report, lang);
      if (format === 'html') return sendBody(reply, 200, 'text/html; charset=utf-8', html, { ...disposition, 'content-security-policy': REPORT_CSP });
      const { renderPdf } = await import('../report/pdf.js');
      if (pdfWaiting >= PDF_QUEUE) throw new HttpError(429, 'the server is busy making PDFs; try again in a minute', { 'retry-after': '60' });
      pdfWaiting++;
      const pdf = await pdfLock.run(() => renderPdf(html, lang, `${t(lang, 'reportTitle')} — ${t(lang, 'run')} ${report.run.id}`)).finally(() => pdfWaiting--);
      return sendBody(reply, 200, 'application/pdf', pdf, disposition);
    },
  }];
}

/** Check my site: the form, its result page and the result's downloads. */
function checkRoutes(o: AppOptions, page: PageSender, notFound: (req: FastifyRequest, reply: FastifyReply) => unknown): RouteDecl[] {
  return [
    {
      url: '/check',
      GET: (req, reply) => page(reply, 200, t(langOf(req), 'navCheck'), checkFormPage(langOf(req))),
      POST: async (req, reply) => {
        const lang = langOf(req);
        requireSameOrigin(req);
        const value = new URLSearchParams(typeof req.body === 'string' ? req.body : '').get('url') ?? '';
        try {
          const id = await o.checks.submit(value, clientOf(req));
          return reply.code(303).header('location', `/checks/${id}?lang=${lang}`).send();
        } catch (err) {
          if (!(err instanceof RefusedError || err instanceof BusyError)) throw err;
          return page(reply, err instanceof BusyError ? 429 : 400, t(lang, 'navCheck'), checkFormPage(lang, { message: refusalText(lang, err.message), value }));
        }
      },
    },
    {
      url: `/checks/${CHECK}`,
      GET: (req: Req<{ check: string }>, reply) => {
        const lang = langOf(req);
        const c = o.checks.view(req.params.check);
        if (!c) return notFound(req, reply);
        return page(reply, 200, `${t(lang, 'checkTitle')}: ${c.url}`, checkPage(lang, c, c.result ? siteReport(c.result) : null, o.publicUrl), c.status === 'queued' || c.status === 'running');
      },
    },
    {
      url: `/checks/${CHECK}/:file(^(report\\.html|result\\.json)$)`,
      GET: (req: Req<{ check: string; file: string }>, reply) => {
        const c = o.checks.view(req.params.check);
        if (!c?.result) throw new HttpError(404, 'no finished check with that id');
        const name = `eindex-check-${req.params.check}`;
        if (req.params.file === 'result.json') return sendJson(reply, 200, c.result, { 'content-disposition': `attachment; filename="${name}.json"` });
        const lang = langOf(req);
        return sendBody(reply, 200, 'text/html; charset=utf-8', renderSiteHtml(c.result, lang), { 'content-disposition': `attachment; filename="${name}-${lang}.html"`, 'content-security-policy': REPORT_CSP });
      },
    },
  ];
}

function apiRoutes(o: AppOptions, reports: RunReports): RouteDecl[] {
  return [
    { url: '/api/runs', GET: (_req, reply) => sendJson(reply, 200, { runs: o.store.runs(100).map((r) => ({ id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, sites: r.sites, ok: r.ok ?? 0 })) }) },
    { url: `/api/runs/${RUN}`, GET: (req: Req<{ run: string }>, reply) => sendJson(reply, 200, reports.get(Number(req.params.run))) },
    {
      url: `/api/runs/${RUN}/institutions/${ID}`,
      GET: (req: Req<{ run: string; id: string }>, reply) => {
        const result = o.store.siteResult(Number(req.params.run), req.params.id);
        if (!result) throw new HttpError(404, `run ${req.params.run} has no result for ${req.params.id}`);
        return sendJson(reply, 200, result);
      },
    },
    {
      url: `/api/institutions/${ID}/history`,
      GET: (req: Req<{ id: string }>, reply) => sendJson(reply, 200, {
        id: req.params.id,
        history: o.store.history(req.params.id).map((h) => ({ runId: h.run_id, startedAt: h.started_at, status: h.status, grade: h.grade, accessibilityScore: h.accessibility_score, mobileScore: h.mobile_score, mobileFriendly: h.mobile_friendly === null ? null : !!h.mobile_friendly })),
      }),
    },
    {
      url: '/api/checks',
      POST: async (req, reply) => {
        const body = jsonBody(req);
        try {
          const id = await o.checks.submit(body.url, clientOf(req));
          return sendJson(reply, 202, { id, status: 'queued', url: `/api/checks/${id}`, page: `/checks/${id}` }, { location: `/api/checks/${id}` });
        } catch (err) {
          if (err instanceof RefusedError) throw new HttpError(422, err.message);
          if (err instanceof BusyError) throw new HttpError(429, err.message, { 'retry-after': String(err.retryAfterS) });
          throw err;
        }
      },
    },
    {
      url: `/api/checks/${CHECK}`,
      GET: (req: Req<{ check: string }>, reply) => {
        const c = o.checks.view(req.params.check);
        if (!c) throw new HttpError(404, 'no such check');
        return sendJson(reply, 200, c);
      },
    },
  ];
}

/**
 * The path of a request as a link back to this server: `//evil.example/x` (or `/\\evil.example`) would
 * be a link to another host in the page's language switch; only its path, with one leading slash, is ours.
 */
export function ownPath(requestUrl: string): string {
  let path: string;
  try {
    path = new URL(requestUrl, 'http://eindex.invalid').pathname;
  } catch {
    path = '/';
  }
  return path.replace(/^[/\\]+/, '/');
}
