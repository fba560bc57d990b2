// The dashboard's pages, rendered on the server from the same report model as `eindex report`. No inline
// script or style (the CSP forbids both); one small script file enhances the check page with live progress.
import type { SiteRow, RunRow } from '../store/db.js';
import { escapeHtml as e } from '../util/html.js';
import { trendChart } from '../report/charts.js';
import { formatDate, formatNumber, GROUP_LABELS, t, type Lang } from '../report/i18n.js';
import type { InstitutionReport, Report } from '../report/model.js';
import { gradeBadge, institutionSection, overviewSection, REPORT_STYLE, scrollableTables } from '../report/report-html.js';
import type { Grade } from '../schema/result.js';
import { TOOL_VERSION } from '../version.js';
import type { CheckView } from './checks.js';

export const APP_CSS = `${REPORT_STYLE}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:2}.skip:focus{left:.5rem}
header.site{border-bottom:3px solid #1f4e8c;margin-bottom:1rem}header.site nav ul{display:flex;flex-wrap:wrap;gap:1.2rem;list-style:none;padding:0;margin:.6rem 0;columns:auto}
header.site a{font-weight:600}form.check{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:1rem 0}
form.check label{display:block;font-weight:600;margin-bottom:.2rem}form.check input{font:inherit;padding:.45rem;width:min(32rem,90vw);border:2px solid #555;border-radius:.3rem}
form.check button,.button{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:0;border-radius:.3rem;background:#1f4e8c;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.error{color:#8a1c1c;font-weight:600}a:focus,button:focus,input:focus{outline:3px solid #c60;outline-offset:2px}
ul.exports{display:flex;gap:.8rem;list-style:none;padding:0;flex-wrap:wrap}footer{margin-top:3rem;border-top:1px solid #ccc;color:#555;font-size:.85rem}
`;

export const CHECK_JS = `// Live progress of a check: polls the API and reloads the page when the check has finished.
(function () {
  var box = document.getElementById('check-status');
  if (!box || !window.fetch) return;
  var id = box.getAttribute('data-check');
  var line = document.getElementById('check-progress');
  function poll() {
    fetch('/api/checks/' + encodeURIComponent(id), { headers: { accept: 'application/json' } }).then(function (r) { return r.json(); }).then(function (c) {
      if (c.status === 'done' || c.status === 'error') { window.location.reload(); return; }
      var label = box.getAttribute('data-' + c.status) || c.status;
      line.textContent = c.progress ? label + ': ' + c.progress.pagesDone + ' / ' + c.progress.pagesPlanned + ' ' + box.getAttribute('data-pages') : label;
      setTimeout(poll, 1500);
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
`;

const q = (lang: Lang) => `?lang=${lang}`;

export function layout(lang: Lang, title: string, body: string, opts: { path: string; script?: boolean }): string {
  const other: Lang = lang === 'lv' ? 'en' : 'lv';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} — eindex</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"></head>
<body><a class="skip" href="#main">${e(t(lang, 'skip'))}</a>
<header class="site"><nav aria-label="${e(t(lang, 'mainNav'))}"><ul>
<li><a href="/${q(lang)}">${e(t(lang, 'navRuns'))}</a></li><li><a href="/check${q(lang)}">${e(t(lang, 'navCheck'))}</a></li>
<li><a href="${e(opts.path)}?lang=${other}" lang="${other}" hreflang="${other}">${e(t(lang, 'otherLang'))}</a></li></ul></nav></header>
<main id="main">${scrollableTables(body)}</main>
<footer><p>eindex ${e(TOOL_VERSION)} · <a href="/accessibility${q(lang)}">${e(t(lang, 'statementTitle'))}</a> · ${e(t(lang, 'disclaimer'))}</p></footer>
${opts.script ? '<script src="/static/check.js" defer></script>' : ''}
</body></html>`;
}

const instHref = (runId: number, id: string, lang: Lang) => `/runs/${runId}/institutions/${encodeURIComponent(id)}${q(lang)}`;

function institutionsTable(r: Report, lang: Lang): string {
  return `<table><caption>${e(t(lang, 'institutions'))}</caption><thead><tr><th scope="col">${e(t(lang, 'institution'))}</th><th scope="col">${e(t(lang, 'group'))}</th><th scope="col">${e(t(lang, 'grade'))}</th>
  <th scope="col" class="num">${e(t(lang, 'accessibilityScore'))}</th><th scope="col" class="num">${e(t(lang, 'mobileScore'))}</th></tr></thead><tbody>
  ${r.institutions.map((i) => `<tr><th scope="row"><a href="${e(instHref(r.run.id, i.id, lang))}">${e(i.name)}</a></th><td>${e(GROUP_LABELS[i.group][lang])}</td>
  <td>${i.status === 'error' ? e(t(lang, 'notAudited')) : gradeBadge(lang, i.grade)}</td><td class="num">${formatNumber(lang, i.accessibilityScore)}</td><td class="num">${formatNumber(lang, i.mobileScore)}</td></tr>`).join('')}
  </tbody></table>`;
}

function runsTable(runs: (RunRow & { sites: number; ok: number })[], lang: Lang): string {
  return `<table><caption>${e(t(lang, 'allRuns'))}</caption><thead><tr><th scope="col">${e(t(lang, 'run'))}</th><th scope="col">${e(t(lang, 'started'))}</th><th scope="col">${e(t(lang, 'status'))}</th><th scope="col" class="num">${e(t(lang, 'sitesAudited'))}</th></tr></thead><tbody>
  ${runs.map((r) => `<tr><th scope="row"><a href="/runs/${r.id}${q(lang)}">${r.id}</a></th><td>${e(formatDate(lang, r.started_at))}</td><td>${e(r.status)}</td><td class="num">${r.ok ?? 0} / ${r.sites}</td></tr>`).join('')}
  </tbody></table>`;
}

function exports(lang: Lang, runId: number, institution?: string): string {
  const extra = institution ? `&amp;institution=${encodeURIComponent(institution)}` : '';
  const item = (file: string, label: string, query = '') => `<li><a class="button" href="/runs/${runId}/report.${file}?${query}lang=${lang}${extra}" download>${e(label)}</a></li>`;
  return `<h2>${e(t(lang, 'export'))}</h2><ul class="exports">${(['pdf', 'csv', 'json', 'html'] as const).map((f) => item(f, f.toUpperCase())).join('')}${
    item('csv', `CSV: ${t(lang, 'exportViolations')}`, 'detail=1&amp;')}</ul>`;
}

export function runPage(lang: Lang, report: Report | null, runs: (RunRow & { sites: number; ok: number })[], home: boolean): string {
  if (!report) return `<h1>${e(t(lang, 'dashboardTitle'))}</h1><p>${e(t(lang, 'noRuns'))}</p><p><a href="/check${q(lang)}">${e(t(lang, 'navCheck'))}</a></p>`;
  const heading = home ? `<h1>${e(t(lang, 'dashboardTitle'))}</h1><p>${e(t(lang, 'latestRun'))}: ${e(t(lang, 'run'))} ${report.run.id}, ${e(formatDate(lang, report.run.startedAt))}</p>`
    : `<h1>${e(t(lang, 'run'))} ${report.run.id}: ${e(formatDate(lang, report.run.startedAt))}</h1>`;
  return `${heading}${overviewSection(report, lang, (id) => instHref(report.run.id, id, lang))}${institutionsTable(report, lang)}${exports(lang, report.run.id)}${runsTable(runs, lang)}`;
}

export function institutionPage(lang: Lang, runId: number, inst: InstitutionReport, history: (SiteRow & { started_at: string })[]): string {
  const labels = history.map((h) => `#${h.run_id}`);
  const chart = trendChart(t(lang, 'trend'), labels, [
    { name: t(lang, 'accessibilityScore'), color: '#1f4e8c', values: history.map((h) => h.accessibility_score) },
    { name: t(lang, 'mobileScore'), color: '#8a5a00', values: history.map((h) => h.mobile_score) },
  ], (v) => formatNumber(lang, v));
  const table = `<table><caption>${e(t(lang, 'trend'))}</caption><thead><tr><th scope="col">${e(t(lang, 'run'))}</th><th scope="col">${e(t(lang, 'started'))}</th><th scope="col">${e(t(lang, 'grade'))}</th><th scope="col" class="num">${e(t(lang, 'accessibilityScore'))}</th><th scope="col" class="num">${e(t(lang, 'mobileScore'))}</th></tr></thead><tbody>
  ${history.map((h) => `<tr><th scope="row"><a href="${e(instHref(h.run_id, inst.id, lang))}">${h.run_id}</a></th><td>${e(formatDate(lang, h.started_at))}</td><td>${h.status === 'ok' ? gradeBadge(lang, h.grade as Grade | null) : e(t(lang, 'notAudited'))}</td><td class="num">${formatNumber(lang, h.accessibility_score)}</td><td class="num">${formatNumber(lang, h.mobile_score)}</td></tr>`).join('')}</tbody></table>`;
  return `<h1>${e(inst.name)} · ${e(t(lang, 'run'))} ${runId}</h1>
  <h2>${e(t(lang, 'trend'))}</h2><figure>${chart}</figure>${table}
  ${institutionSection(inst, lang, 'h2').replace('<section class="inst">', '<section>')}
  ${exports(lang, runId, inst.id)}`;
}

export function checkFormPage(lang: Lang, error?: { message: string; value: string }): string {
  return `<h1>${e(t(lang, 'navCheck'))}</h1><p>${e(t(lang, 'checkIntro'))}</p>
  <form class="check" method="post" action="/check${q(lang)}"><div><label for="url">${e(t(lang, 'checkUrl'))}</label>
  <input id="url" name="url" type="text" inputmode="url" autocomplete="url" required placeholder="https://www.example.lv/" value="${e(error?.value ?? '')}"${error ? ' aria-invalid="true" aria-describedby="url-error"' : ''}></div>
  <button type="submit">${e(t(lang, 'checkButton'))}</button></form>
  ${error ? `<p id="url-error" class="error" role="alert">${e(error.message)}</p>` : ''}`;
}

export function checkPage(lang: Lang, c: CheckView, inst: InstitutionReport | null): string {
  const head = `<h1>${e(t(lang, 'checkTitle'))}: ${e(c.url)}</h1><p>${e(t(lang, 'shareable'))}: <a href="/checks/${e(c.id)}${q(lang)}">/checks/${e(c.id)}</a></p>`;
  if (c.status === 'queued' || c.status === 'running') {
    const label = t(lang, c.status);
    return `${head}<div id="check-status" data-check="${e(c.id)}" data-queued="${e(t(lang, 'queued'))}" data-running="${e(t(lang, 'running'))}" data-pages="${e(t(lang, 'pagesSoFar'))}">
    <p id="check-progress" role="status" aria-live="polite">${e(label)}${c.progress ? `: ${c.progress.pagesDone} / ${c.progress.pagesPlanned} ${e(t(lang, 'pagesSoFar'))}` : ''}</p>
    <p><a href="/checks/${e(c.id)}${q(lang)}">${e(t(lang, 'refresh'))}</a></p></div>`;
  }
  if (c.status === 'error' || !inst) return `${head}<p class="error">${e(t(lang, 'failed'))}: ${e(c.error)}</p>`;
  return `${head}<p>${e(t(lang, 'done'))}: ${e(formatDate(lang, c.finishedAt))}</p>${institutionSection(inst, lang, 'h2', true).replace('<section class="inst">', '<section>')}`;
}

export function statementPage(lang: Lang): string {
  return `<h1>${e(t(lang, 'statementTitle'))}</h1><p>${e(t(lang, 'statementBody'))}</p>`;
}

export function notFoundPage(lang: Lang): string {
  return `<h1>${e(t(lang, 'notFoundPage'))}</h1><p><a href="/${q(lang)}">${e(t(lang, 'navRuns'))}</a></p>`;
}
