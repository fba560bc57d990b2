// `eindex serve`: the dashboard and its JSON API. Reading is public; starting runs and schedules and
// deleting runs need the admin token (admin.ts). The routes are tables by area, dispatched by http.ts,
// which also sets the headers every response carries (a strict CSP) and the server's limits.
import type { Server } from 'node:http';
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
import { CSP, HttpError, REPORT_CSP, dispatcher, json, limitedServer, normalAddress, readBody, readJson, send, type Route, type RouteContext, type ServerLimits } from './http.js';
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

export function createApp(o: AppOptions): Server {
  const log = o.log ?? (() => {});
  const trusted = new Set((o.trustProxy ?? []).map(normalAddress));
  const gate = new AdminGate(o.adminToken, trusted, log);
  const reports = new RunReports(o.store);
  const routes: Route[] = [
    ...assetRoutes(o),
    ...pageRoutes(o, reports),
    ...exportRoutes(o, reports),
    ...checkRoutes(o, gate),
    ...apiRoutes(o, reports, gate),
    ...adminRoutes({ gate, store: o.store, redisUrl: o.redisUrl, targetsDir: o.targetsDir, log, server: () => server, onDeleted: () => reports.clear() }),
  ];
  const handler = dispatcher({
    routes, log,
    layout: (lang, title, body, path, script) => layout(lang, title, body, { path, script }),
    notFound: ({ lang, page }) => page(404, t(lang, 'notFoundPage'), notFoundPage(lang)),
  });
  const server = limitedServer(handler, o, trusted);
  return server;
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

function assetRoutes(o: AppOptions): Route[] {
  return [
    ['GET', /^\/static\/app\.css$/, ({ res }) => send(res, 200, 'text/css; charset=utf-8', APP_CSS, cached(3600))],
    ['GET', /^\/static\/check\.js$/, ({ res }) => send(res, 200, 'text/javascript; charset=utf-8', CHECK_JS, cached(3600))],
    ['GET', /^\/favicon\.ico$/, ({ res }) => send(res, 200, 'image/svg+xml', FAVICON, cached(86400))],
    ['GET', /^\/healthz$/, ({ res }) => json(res, 200, { ok: true, openChecks: o.checks.open })],
  ];
}

function pageRoutes(o: AppOptions, reports: RunReports): Route[] {
  const runsPage = (c: RouteContext, run: ReturnType<Store['run']>) => {
    const { lang, page, m } = c;
    if (m[1] && !run) return page(404, t(lang, 'notFoundPage'), notFoundPage(lang));
    return page(200, t(lang, 'navRuns'), runPage(lang, run ? reports.get(run.id) : null, o.store.runs(30), !m[1], tableView(c.url.searchParams)));
  };
  return [
    ['GET', /^\/$/, (c) => runsPage(c, o.store.latestRun())],
    ['GET', /^\/runs\/(\d+)$/, (c) => runsPage(c, o.store.run(Number(c.m[1])))],
    ['GET', /^\/runs\/(\d+)\/institutions\/([a-z0-9._-]+)$/, ({ lang, page, m }) => {
      const report = o.store.run(Number(m[1])) ? reports.get(Number(m[1])) : null;
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
    ['GET', /^\/accessibility$/, ({ lang, page }) => page(200, t(lang, 'statementTitle'), statementPage(lang))],
  ];
}

/** A run's report to download: HTML, PDF (one Chromium, a bounded queue), CSV, JSON. */
function exportRoutes(o: AppOptions, reports: RunReports): Route[] {
  const pdfLock = new Mutex();
  let pdfWaiting = 0;
  return [['GET', /^\/runs\/(\d+)\/report\.(html|pdf|csv|json)$/, async ({ res, url, lang, m }) => {
    const whole = reports.get(Number(m[1]));
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
    if (m[2] === 'html') return send(res, 200, 'text/html; charset=utf-8', html, { ...disposition, 'content-security-policy': REPORT_CSP });
    const { renderPdf } = await import('../report/pdf.js');
    if (pdfWaiting >= PDF_QUEUE) throw new HttpError(429, 'the server is busy making PDFs; try again in a minute', { 'retry-after': '60' });
    pdfWaiting++;
    const pdf = await pdfLock.run(() => renderPdf(html, lang, `${t(lang, 'reportTitle')} — ${t(lang, 'run')} ${report.run.id}`)).finally(() => pdfWaiting--);
    return send(res, 200, 'application/pdf', pdf, disposition);
  }]];
}

/** Check my site: the form, its result page and the result's downloads. */
function checkRoutes(o: AppOptions, gate: AdminGate): Route[] {
  return [
    ['GET', /^\/check$/, ({ lang, page }) => page(200, t(lang, 'navCheck'), checkFormPage(lang))],
    ['POST', /^\/check$/, async ({ req, res, lang, page }) => {
      requireSameOrigin(req);
      const value = new URLSearchParams(await readBody(req)).get('url') ?? '';
      try {
        const id = await o.checks.submit(value, gate.client(req));
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
      return send(res, 200, 'text/html; charset=utf-8', renderSiteHtml(c.result, lang), { 'content-disposition': `attachment; filename="${name}-${lang}.html"`, 'content-security-policy': REPORT_CSP });
    }],
  ];
}

function apiRoutes(o: AppOptions, reports: RunReports, gate: AdminGate): Route[] {
  return [
    ['GET', /^\/api\/runs$/, ({ res }) => json(res, 200, { runs: o.store.runs(100).map((r) => ({ id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, sites: r.sites, ok: r.ok ?? 0 })) })],
    ['GET', /^\/api\/runs\/(\d+)$/, ({ res, m }) => json(res, 200, reports.get(Number(m[1])))],
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
        const id = await o.checks.submit(body.url, gate.client(req));
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
  ];
}
