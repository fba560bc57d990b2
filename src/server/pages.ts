// The dashboard's pages, rendered on the server from the same report model as `eindex report`. No inline
// script or style (the CSP forbids both); one small script file enhances the check page with live progress.
import type { SiteRow, RunRow } from '../store/db.js';
import { html, htmlText, joinHtml, type Html } from '../util/html.js';
import { trendChart } from '../report/charts.js';
import { failureText, formatDate, formatNumber, RUN_STATUS_LABELS, GROUP_LABELS, t, type Lang } from '../report/i18n.js';
import type { InstitutionReport, Report } from '../report/model.js';
import { gradeBadge, institutionSection, overviewSection, pageTable, REPORT_STYLE, scrollableTables } from '../report/report-html.js';
import type { Grade, SiteResult } from '../schema/result.js';
import { TOOL_VERSION } from '../version.js';
import { DEFAULT_METHODOLOGY } from '../grading/methodology.js';
import type { CheckView } from './checks.js';

export const APP_CSS = `${REPORT_STYLE}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:2}.skip:focus{left:.5rem}
header.site{border-bottom:3px solid #1f4e8c;margin-bottom:1rem}header.site nav ul{display:flex;flex-wrap:wrap;gap:1.2rem;list-style:none;padding:0;margin:.6rem 0;columns:auto}
header.site a{font-weight:600}form.check{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:1rem 0}
form.check label{display:block;font-weight:600;margin-bottom:.2rem}form.check input{font:inherit;padding:.45rem;width:min(32rem,90vw);border:2px solid #555;border-radius:.3rem}
form.check select{font:inherit;padding:.4rem;border:2px solid #555;border-radius:.3rem;max-width:90vw}form.filters input{width:min(16rem,90vw)}th a{color:inherit}
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

export function layout(lang: Lang, title: string, body: Html, opts: { path: string; script?: boolean }): string {
  const other: Lang = lang === 'lv' ? 'en' : 'lv';
  return htmlText(html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — eindex</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"></head>
<body><a class="skip" href="#main">${t(lang, 'skip')}</a>
<header class="site"><nav aria-label="${t(lang, 'mainNav')}"><ul>
<li><a href="/${q(lang)}">${t(lang, 'navRuns')}</a></li><li><a href="/check${q(lang)}">${t(lang, 'navCheck')}</a></li>
<li><a href="${opts.path}?lang=${other}" lang="${other}" hreflang="${other}">${t(lang, 'otherLang')}</a></li></ul></nav></header>
<main id="main">${scrollableTables(body)}</main>
<footer><p>eindex ${TOOL_VERSION} · <a href="/accessibility${q(lang)}">${t(lang, 'statementTitle')}</a> · ${t(lang, 'disclaimer')}</p></footer>
${opts.script ? html`<script src="/static/check.js" defer></script>` : ''}
</body></html>`);
}

const instHref = (runId: number, id: string, lang: Lang) => `/runs/${runId}/institutions/${encodeURIComponent(id)}${q(lang)}`;

/** How the institutions table is shown: sorted by a column, filtered by group, grade, mobile verdict, a search. Query parameters, so a view can be linked. */
export interface TableView { sort: SortKey; desc: boolean; group: string | null; grade: string | null; mobile: 'yes' | 'no' | null; q: string }
type SortKey = 'name' | 'group' | 'grade' | 'score' | 'mobile';
const SORT_KEYS: SortKey[] = ['name', 'group', 'grade', 'score', 'mobile'];
const GRADE_ORDER: Record<string, number> = { highest: 4, high: 3, medium: 2, low: 1 };

export function tableView(params: URLSearchParams): TableView {
  const sort = SORT_KEYS.includes(params.get('sort') as SortKey) ? params.get('sort') as SortKey : 'name';
  const mobile = params.get('mobile');
  return {
    sort, desc: params.get('dir') === 'desc',
    group: params.get('group') || null, grade: params.get('grade') || null,
    mobile: mobile === 'yes' || mobile === 'no' ? mobile : null, q: (params.get('q') ?? '').slice(0, 100),
  };
}

function viewQuery(lang: Lang, v: TableView, over: Partial<TableView>): string {
  const w = { ...v, ...over };
  const p = new URLSearchParams({ lang, sort: w.sort, dir: w.desc ? 'desc' : 'asc' });
  if (w.group) p.set('group', w.group);
  if (w.grade) p.set('grade', w.grade);
  if (w.mobile) p.set('mobile', w.mobile);
  if (w.q) p.set('q', w.q);
  return `?${p.toString()}`;
}

/** Text as a search compares it: lower case, diacritics folded ("Ķekava" is found by "kekava"). */
export const searchFold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('lv');

/**
 * Whether an institution is in the view: its group, grade and mobile verdict as filtered (a site that
 * could not be audited has no mobile verdict: neither yes nor no), and the search in its name, id or URL.
 */
export function inView(i: Pick<Report['institutions'][number], 'group' | 'grade' | 'mobileFriendly' | 'name' | 'id' | 'url'>, v: TableView): boolean {
  const needle = searchFold(v.q);
  return (!v.group || i.group === v.group) && (!v.grade || (i.grade ?? 'none') === v.grade)
    && (!v.mobile || i.mobileFriendly === (v.mobile === 'yes')) && (!needle || searchFold(`${i.name} ${i.id} ${i.url}`).includes(needle));
}

function institutionsTable(r: Report, lang: Lang, v: TableView): Html {
  const rows = r.institutions.filter((i) => inView(i, v));
  const key = (i: (typeof rows)[number]): number | string => ({ name: i.name, group: GROUP_LABELS[i.group][lang], grade: GRADE_ORDER[i.grade ?? ''] ?? 0, score: i.accessibilityScore ?? -1, mobile: i.mobileScore ?? -1 })[v.sort];
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), lang);
    return (v.desc ? -c : c) || a.name.localeCompare(b.name, lang);
  });
  const head = (k: SortKey, label: string, num = false) => {
    const on = v.sort === k;
    const sort = on ? (v.desc ? 'descending' : 'ascending') : null;
    return html`<th scope="col"${num ? html` class="num"` : ''}${sort ? html` aria-sort="${sort}"` : ''}><a href="${viewQuery(lang, v, { sort: k, desc: on ? !v.desc : k === 'grade' || k === 'score' || k === 'mobile' })}">${label}${on ? (v.desc ? ' ↓' : ' ↑') : ''}</a></th>`;
  };
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const groups = [...new Set(r.institutions.map((i) => i.group))];
  const form = html`<form class="check filters" method="get" action=""><input type="hidden" name="lang" value="${lang}"><input type="hidden" name="sort" value="${v.sort}"><input type="hidden" name="dir" value="${v.desc ? 'desc' : 'asc'}">
  <div><label for="f-q">${t(lang, 'search')}</label><input id="f-q" name="q" type="search" value="${v.q}"></div>
  <div><label for="f-group">${t(lang, 'group')}</label><select id="f-group" name="group">${option('', t(lang, 'anyGroup'), !v.group)}${groups.map((g) => option(g, GROUP_LABELS[g][lang], v.group === g))}</select></div>
  <div><label for="f-grade">${t(lang, 'grade')}</label><select id="f-grade" name="grade">${option('', t(lang, 'anyGrade'), !v.grade)}${(['highest', 'high', 'medium', 'low'] as Grade[]).map((g) => option(g, gradeName(lang, g), v.grade === g))}</select></div>
  <div><label for="f-mobile">${t(lang, 'mobile')}</label><select id="f-mobile" name="mobile">${option('', t(lang, 'anyMobile'), !v.mobile)}${option('yes', t(lang, 'mobileYes'), v.mobile === 'yes')}${option('no', t(lang, 'mobileNo'), v.mobile === 'no')}</select></div>
  <button type="submit">${t(lang, 'filter')}</button></form>`;
  return html`${form}<table><caption>${t(lang, 'institutions')} (${rows.length} ${t(lang, 'shown')})</caption><thead><tr>${head('name', t(lang, 'institution'))}${head('group', t(lang, 'group'))}${head('grade', t(lang, 'grade'))}
  ${head('score', t(lang, 'accessibilityScore'), true)}${head('mobile', t(lang, 'mobileScore'), true)}</tr></thead><tbody>
  ${rows.map((i) => html`<tr><th scope="row"><a href="${instHref(r.run.id, i.id, lang)}">${i.name}</a></th><td>${GROUP_LABELS[i.group][lang]}</td>
  <td>${i.status === 'error' ? t(lang, 'notAudited') : gradeBadge(lang, i.grade)}</td><td class="num">${formatNumber(lang, i.accessibilityScore)}</td><td class="num">${formatNumber(lang, i.mobileScore)}</td></tr>`)}
  </tbody></table>`;
}

/** The grade as the methodology names it, the one place the grade labels live. */
const gradeName = (lang: Lang, g: Grade) => DEFAULT_METHODOLOGY.accessibility.labels[g][lang];

/** Any two runs compared: the institutions whose grade changed, and the rules that are new or fixed. */
export function comparePage(lang: Lang, report: Report, from: number, runs: { id: number }[]): Html {
  const changed = report.institutions.filter((i) => i.previous && i.previous.grade !== i.grade);
  const fresh = report.institutions.map((i) => ({ i, rules: i.criteria.flatMap((c) => c.rules).filter((x) => x.isNew) })).filter((x) => x.rules.length);
  const fixed = report.institutions.filter((i) => i.fixed.length);
  const pick = (name: string, label: string, value: number) => html`<div><label for="c-${name}">${label}</label><select id="c-${name}" name="${name}">${runs.map((r) => html`<option value="${r.id}"${r.id === value ? html` selected` : ''}>${r.id}</option>`)}</select></div>`;
  const list = (items: Html[]) => (items.length ? html`<ul>${items}</ul>` : html`<p>${t(lang, 'noChange')}</p>`);
  return html`<h1>${t(lang, 'compareTitle').replace('{from}', String(from)).replace('{to}', String(report.run.id))}</h1>
  <form class="check" method="get" action="/compare"><input type="hidden" name="lang" value="${lang}">${pick('from', t(lang, 'from'), from)}${pick('to', t(lang, 'to'), report.run.id)}<button type="submit">${t(lang, 'compare')}</button></form>
  <h2>${t(lang, 'gradeChanged')}</h2>${list(changed.map((i) => html`<li><a href="${instHref(report.run.id, i.id, lang)}">${i.name}</a>: ${gradeBadge(lang, i.previous!.grade as Grade | null)} → ${gradeBadge(lang, i.grade)}</li>`))}
  <h2>${t(lang, 'newRules')}</h2>${list(fresh.map(({ i, rules }) => html`<li><a href="${instHref(report.run.id, i.id, lang)}">${i.name}</a>: ${joinHtml(rules.map((x) => html`<code>${x.id}</code>`), ', ')}</li>`))}
  <h2>${t(lang, 'fixedRules')}</h2>${list(fixed.map((i) => html`<li><a href="${instHref(report.run.id, i.id, lang)}">${i.name}</a>: ${joinHtml(i.fixed.map((x) => html`<code>${x.id}</code>`), ', ')}</li>`))}`;
}

function runsTable(runs: (RunRow & { sites: number; ok: number })[], lang: Lang): Html {
  return html`<table><caption>${t(lang, 'allRuns')}</caption><thead><tr><th scope="col">${t(lang, 'run')}</th><th scope="col">${t(lang, 'started')}</th><th scope="col">${t(lang, 'status')}</th><th scope="col" class="num">${t(lang, 'sitesAudited')}</th></tr></thead><tbody>
  ${runs.map((r) => html`<tr><th scope="row"><a href="/runs/${r.id}${q(lang)}">${r.id}</a></th><td>${formatDate(lang, r.started_at)}</td><td>${RUN_STATUS_LABELS[r.status]?.[lang] ?? r.status}</td><td class="num">${r.ok ?? 0} / ${r.sites}</td></tr>`)}
  </tbody></table>`;
}

function exports(lang: Lang, runId: number, institution?: string): Html {
  const extra = institution ? `&institution=${encodeURIComponent(institution)}` : '';
  const item = (file: string, label: string, query = '') => html`<li><a class="button" href="/runs/${runId}/report.${file}?${query}lang=${lang}${extra}" download>${label}</a></li>`;
  return html`<h2>${t(lang, 'export')}</h2><ul class="exports">${(['pdf', 'csv', 'json', 'html'] as const).map((f) => item(f, f.toUpperCase()))}${
    item('csv', `CSV: ${t(lang, 'exportViolations')}`, 'detail=1&')}</ul>`;
}

export function runPage(lang: Lang, report: Report | null, runs: (RunRow & { sites: number; ok: number })[], home: boolean, view: TableView = tableView(new URLSearchParams())): Html {
  if (!report) return html`<h1>${t(lang, 'dashboardTitle')}</h1><p>${t(lang, 'noRuns')}</p><p><a href="/check${q(lang)}">${t(lang, 'navCheck')}</a></p>`;
  const heading = home ? html`<h1>${t(lang, 'dashboardTitle')}</h1><p>${t(lang, 'latestRun')}: ${t(lang, 'run')} ${report.run.id}, ${formatDate(lang, report.run.startedAt)}</p>`
    : html`<h1>${t(lang, 'run')} ${report.run.id}: ${formatDate(lang, report.run.startedAt)}</h1>`;
  const compare = report.previousRun ? html`<p><a href="/compare?from=${report.previousRun.id}&amp;to=${report.run.id}&amp;lang=${lang}">${t(lang, 'compare')}</a></p>` : '';
  return html`${heading}${overviewSection(report, lang, (id) => instHref(report.run.id, id, lang))}${institutionsTable(report, lang, view)}${compare}${exports(lang, report.run.id)}${runsTable(runs, lang)}`;
}

export function institutionPage(lang: Lang, runId: number, inst: InstitutionReport, history: (SiteRow & { started_at: string })[], result: SiteResult | null = null): Html {
  const labels = history.map((h) => `#${h.run_id}`);
  const chart = trendChart(t(lang, 'trend'), labels, [
    { name: t(lang, 'accessibilityScore'), color: '#1f4e8c', values: history.map((h) => h.accessibility_score) },
    { name: t(lang, 'mobileScore'), color: '#8a5a00', values: history.map((h) => h.mobile_score) },
  ], (v) => formatNumber(lang, v));
  const table = html`<table><caption>${t(lang, 'trend')}</caption><thead><tr><th scope="col">${t(lang, 'run')}</th><th scope="col">${t(lang, 'started')}</th><th scope="col">${t(lang, 'grade')}</th><th scope="col" class="num">${t(lang, 'accessibilityScore')}</th><th scope="col" class="num">${t(lang, 'mobileScore')}</th></tr></thead><tbody>
  ${history.map((h) => html`<tr><th scope="row"><a href="${instHref(h.run_id, inst.id, lang)}">${h.run_id}</a></th><td>${formatDate(lang, h.started_at)}</td><td>${h.status === 'ok' ? gradeBadge(lang, h.grade as Grade | null) : t(lang, 'notAudited')}</td><td class="num">${formatNumber(lang, h.accessibility_score)}</td><td class="num">${formatNumber(lang, h.mobile_score)}</td></tr>`)}</tbody></table>`;
  return html`<h1>${inst.name} · ${t(lang, 'run')} ${runId}</h1>
  <h2>${t(lang, 'trend')}</h2><figure>${chart}</figure>${table}
  ${institutionSection(inst, lang, 'h2', false, null)}
  ${result ? pageTable(result, lang) : ''}
  ${exports(lang, runId, inst.id)}`;
}

export function checkFormPage(lang: Lang, error?: { message: string; value: string }): Html {
  return html`<h1>${t(lang, 'navCheck')}</h1><p>${t(lang, 'checkIntro')}</p>
  <form class="check" method="post" action="/check${q(lang)}"><div><label for="url">${t(lang, 'checkUrl')}</label>
  <input id="url" name="url" type="text" inputmode="url" autocomplete="url" required placeholder="https://www.example.lv/" value="${error?.value ?? ''}"${error ? html` aria-invalid="true" aria-describedby="url-error"` : ''}></div>
  <button type="submit">${t(lang, 'checkButton')}</button></form>
  ${error ? html`<p id="url-error" class="error" role="alert">${error.message}</p>` : ''}`;
}

/** `publicUrl`: the server's public address (--public-url): the shareable address is then absolute. */
export function checkPage(lang: Lang, c: CheckView, inst: InstitutionReport | null, publicUrl?: string): Html {
  const address = `${publicUrl ? publicUrl.replace(/\/+$/, '') : ''}/checks/${encodeURIComponent(c.id)}`;
  const head = html`<h1>${t(lang, 'checkTitle')}: ${c.url}</h1><p>${t(lang, 'shareable')}: <a href="${address}${q(lang)}">${address}</a></p>`;
  if (c.status === 'queued' || c.status === 'running') {
    const label = t(lang, c.status);
    return html`${head}<div id="check-status" data-check="${c.id}" data-queued="${t(lang, 'queued')}" data-running="${t(lang, 'running')}" data-pages="${t(lang, 'pagesSoFar')}">
    <p id="check-progress" role="status" aria-live="polite">${label}${c.progress ? `: ${c.progress.pagesDone} / ${c.progress.pagesPlanned} ${t(lang, 'pagesSoFar')}` : ''}</p>
    <p><a href="/checks/${c.id}${q(lang)}">${t(lang, 'refresh')}</a></p></div>`;
  }
  if (c.status === 'error' || !inst) return html`${head}<p class="error">${t(lang, 'failed')}: ${failureText(lang, c.error ?? '')}</p>`;
  const downloads = html`<ul class="exports"><li><a class="button" href="/checks/${encodeURIComponent(c.id)}/report.html${q(lang)}" download>HTML</a></li><li><a class="button" href="/checks/${encodeURIComponent(c.id)}/result.json" download>JSON</a></li></ul>`;
  return html`${head}<p>${t(lang, 'done')}: ${formatDate(lang, c.finishedAt)}</p>${downloads}${institutionSection(inst, lang, 'h2', true, null)}${c.result ? pageTable(c.result, lang) : ''}`;
}

export function statementPage(lang: Lang): Html {
  return html`<h1>${t(lang, 'statementTitle')}</h1><p>${t(lang, 'statementBody')}</p>`;
}

export function notFoundPage(lang: Lang): Html {
  return html`<h1>${t(lang, 'notFoundPage')}</h1><p><a href="/${q(lang)}">${t(lang, 'navRuns')}</a></p>`;
}
