// The compliance report as one self-contained HTML page (the PDF prints the same page). No script; a CSP
// that forbids any; every text from audited sites escaped; screenshots only as validated JPEG data URIs.
import type { Grade, SiteResult } from '../schema/result.js';
import { escapeHtml as e, safeHref } from '../util/html.js';
import type { IndexResult } from '../index/compute.js';
import { GRADE_COLORS, shareBars, stackedBars } from './charts.js';
import { countOf, formatDate, formatIndex, formatNumber, formatPercent, formatPoints, GROUP_LABELS, IMPACT_LABELS, MOBILE_CHECK_LABELS, OBSERVED_LABELS, reasonLabel, t, type Lang } from './i18n.js';
import { GRADES, ruleHelp, siteReport, type InstitutionReport, type Report, type RuleFinding } from './model.js';
import { DEFAULT_METHODOLOGY } from '../grading/methodology.js';
import REFERENCE_2019 from './data/reference-2019.json' with { type: 'json' };

export const REPORT_STYLE = `
body{font:15px/1.5 system-ui,"DejaVu Sans",sans-serif;margin:0 auto;max-width:62rem;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:.4rem 0}h2{font-size:1.3rem;margin-top:1.6rem;border-bottom:2px solid #ccc}h3{font-size:1.1rem;margin:1.2rem 0 .4rem}h4{font-size:1rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num,th.num{text-align:right}td.num{white-space:nowrap}table{font-size:.85rem}caption{text-align:left;font-weight:600;padding:.2rem 0}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.8rem;white-space:pre-wrap;word-break:break-all}
pre{background:#f5f5f5;padding:.3rem;margin:.2rem 0;max-height:12em;overflow:hidden}
.grade{display:inline-block;padding:.15rem .6rem;border-radius:.3rem;font-weight:700;color:#fff}
${GRADES.map((g) => `.g-${g}{background:${GRADE_COLORS[g]}}`).join('')}.g-none{background:#555}
.new{display:inline-block;background:#8a1c1c;color:#fff;border-radius:.25rem;padding:0 .35rem;font-size:.8rem;font-weight:700}
.muted{color:#555}.chart{max-width:100%;height:auto;display:block;margin:.4rem 0}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}dl.kv dt{font-weight:600}dl.kv dd{margin:0;min-width:0}
@media (max-width:36rem){body{padding:.8rem}dl.kv{grid-template-columns:1fr;gap:0}dl.kv dd{margin-bottom:.5rem}}
ol.fix>li{margin:.5rem 0}figure{margin:.3rem 0}figure img{border:1px solid #999;max-width:100%;max-height:160px}
a{color:#0645ad;overflow-wrap:anywhere}h1,h2,h3,h4,p,li,dd,td,th,figcaption{overflow-wrap:anywhere}nav ul{columns:2}nav li{padding:.15rem 0}nav a{display:inline-block;min-height:24px;line-height:24px}.tw{overflow-x:auto;max-width:100%}svg.chart text{font-family:system-ui,"DejaVu Sans",sans-serif}
@media print{body{max-width:none;padding:0;font-size:10.5pt}.tw{overflow:visible}table{font-size:8pt}th,td{padding:.1rem .2rem}section.inst{break-before:page}tr,figure,li{break-inside:avoid}a{color:#1b1b1b;text-decoration:none}pre{max-height:none}}
`;

/**
 * Wide tables scroll inside a keyboard-reachable region instead of widening the page (a phone's screen):
 * the region is named by the table's caption.
 */
export function scrollableTables(html: string): string {
  return html.replace(/<table><caption>([^<]*)<\/caption>([\s\S]*?)<\/table>/g, (_all, caption: string, rest: string) =>
    `<div class="tw" role="region" tabindex="0" aria-label="${caption}"><table><caption>${caption}</caption>${rest}</table></div>`);
}

const SCREENSHOT = /^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/;

export const link = (url: string, text = url) => {
  const href = safeHref(url);
  return href ? `<a href="${e(href)}">${e(text)}</a>` : e(text);
};

export function gradeBadge(lang: Lang, grade: Grade | null): string {
  const label = grade ? DEFAULT_METHODOLOGY.accessibility.labels[grade][lang] : t(lang, 'notGraded');
  return `<span class="grade ${grade ? `g-${grade}` : 'g-none'}">${e(label)}</span>`;
}

const gradeNames = (lang: Lang) => Object.fromEntries(GRADES.map((g) => [g, DEFAULT_METHODOLOGY.accessibility.labels[g][lang]])) as Record<Grade, string>;
const anchor = (id: string) => `inst-${id.replace(/[^a-z0-9._-]/gi, '_')}`;

export function overviewSection(r: Report, lang: Lang, hrefFor: (id: string) => string = (id) => `#${anchor(id)}`): string {
  const pct = (x: number | null) => formatPercent(lang, x);
  const names = gradeNames(lang);
  const chart = stackedBars(t(lang, 'gradeDistribution'), r.groups.map((g) => ({ label: GROUP_LABELS[g.group][lang], parts: GRADES.map((k) => ({ key: k, share: g.grades[k].share })) })), names, pct);
  const mobileChart = shareBars(t(lang, 'mobileFriendlyShare'), r.groups.map((g) => ({ label: GROUP_LABELS[g.group][lang], share: g.mobileFriendly.share })), pct);
  const rows = r.groups.map((g) => `<tr><th scope="row">${e(GROUP_LABELS[g.group][lang])}</th><td class="num">${g.audited} / ${g.institutions}</td>
    ${GRADES.map((k) => `<td class="num">${pct(g.grades[k].share)} <span class="muted">(${g.grades[k].count})</span>${g.change ? `<br><span class="muted">${formatPoints(lang, g.change.grades[k])}</span>` : ''}</td>`).join('')}
    <td class="num">${pct(g.mobileFriendly.share)}${g.change ? `<br><span class="muted">${formatPoints(lang, g.change.mobileFriendly)}</span>` : ''}</td>
    <td class="num">${pct(g.statement.share)}${g.change ? `<br><span class="muted">${formatPoints(lang, g.change.statement)}</span>` : ''}</td>
    <td class="num">${formatNumber(lang, g.meanAccessibilityScore)}</td></tr>`).join('');
  // The best of a group below "medium" is said to be so: a list headed "best" could read as praise.
  const weak = (g: (typeof r.groups)[number]) => g.best.length > 0 && g.best.every((b) => b.grade === 'low' || b.grade === null);
  const best = r.groups.map((g) => `<h3>${e(t(lang, 'best'))}: ${e(GROUP_LABELS[g.group][lang])}</h3>${weak(g) ? `<p class="muted">${e(t(lang, 'bestBelowMedium'))}</p>` : ''}<ol>${g.best.map((b) => `<li><a href="${e(hrefFor(b.id))}">${e(b.name)}</a> — ${gradeBadge(lang, b.grade)} ${formatNumber(lang, b.accessibilityScore)}</li>`).join('')}</ol>`).join('');
  const ref = r.reference2019;
  const refRow = (k: 'institutions' | 'municipalities') => `<tr><th scope="row">${e(GROUP_LABELS[k][lang])}</th>${GRADES.map((g) => `<td class="num">${pct(ref.current[k][g])} <span class="muted">(2019: ${pct(ref.grades[k][g])})</span></td>`).join('')}<td class="num">${pct(ref.current[k].mobileFriendly)} <span class="muted">(2019: ${pct(ref.mobileFriendly[k])})</span></td></tr>`;
  return `<section id="overview"><h2>${e(t(lang, 'overview'))}</h2>
  ${r.previousRun ? `<p>${e(t(lang, 'previousRun'))} ${r.previousRun.id} (${e(formatDate(lang, r.previousRun.startedAt))}); ${e(t(lang, 'change').toLowerCase())} ${lang === 'lv' ? 'norādītas zem daļām' : 'shown under each share'}.</p>` : `<p class="muted">${e(t(lang, 'noPreviousRun'))}</p>`}
  <figure>${chart}</figure>
  <table><caption>${e(t(lang, 'gradeDistribution'))}</caption><thead><tr><th scope="col">${e(t(lang, 'group'))}</th><th scope="col" class="num">${e(t(lang, 'sitesAudited'))}</th>
  ${GRADES.map((g) => `<th scope="col" class="num">${e(names[g])}</th>`).join('')}<th scope="col" class="num">${e(t(lang, 'mobileFriendlyShare'))}</th><th scope="col" class="num">${e(t(lang, 'statementShare'))}</th><th scope="col" class="num">${e(t(lang, 'meanScore'))}</th></tr></thead><tbody>${rows}</tbody></table>
  <h3>${e(t(lang, 'mobileFriendlyShare'))}</h3><figure>${mobileChart}</figure>
  ${best}
  <table><caption>${e(t(lang, 'reference2019'))}</caption><thead><tr><th scope="col">${e(t(lang, 'group'))}</th>${GRADES.map((g) => `<th scope="col" class="num">${e(names[g])}</th>`).join('')}<th scope="col" class="num">${e(t(lang, 'mobileFriendlyShare'))}</th></tr></thead>
  <tbody>${refRow('institutions')}${refRow('municipalities')}</tbody></table>
  <p class="muted">${e(t(lang, 'comparability'))}</p>
  </section>`;
}

function evidence(lang: Lang, rule: RuleFinding): string {
  return rule.evidence.map((ev) => `<div>${link(ev.url)}: <code>${e(ev.target)}</code><pre>${e(ev.html)}</pre>${ev.screenshot && SCREENSHOT.test(ev.screenshot)
    ? `<figure><img src="${ev.screenshot}" alt="${e(`${t(lang, 'screenshot')}: ${ev.target}`)}"></figure>` : ''}</div>`).join('');
}

function ruleLine(lang: Lang, rule: RuleFinding): string {
  const impact = rule.impact ? IMPACT_LABELS[rule.impact][lang] : '?';
  return `<strong>${e(rule.hint[lang])}</strong> ${rule.isNew ? `<span class="new">${e(t(lang, 'isNew'))}</span>` : ''}<br>
  <span class="muted">${e(t(lang, 'impact'))}: ${e(impact)}; <code>${e(rule.id)}</code>${rule.wcag.length ? `; WCAG ${e(rule.wcag.join(', '))}` : ''}; ${lang === 'lv' ? `lapās: ${rule.pages}` : countOf(lang, rule.pages, ['page', 'pages'], ['lapā', 'lapās'])}, ${e(countOf(lang, rule.nodes, ['element', 'elements'], ['elements', 'elementi']))}; ${link(rule.helpUrl, t(lang, 'moreInfo'))}</span>`;
}

/** `standalone`: one site audited on its own (a check, `eindex audit`): no registry group to name. */
export function institutionSection(i: InstitutionReport, lang: Lang, heading = 'h2', standalone = false): string {
  const head = `<${heading} id="${anchor(i.id)}">${e(i.name)}</${heading}><p>${link(i.url)}${standalone ? '' : ` · ${e(GROUP_LABELS[i.group][lang])}`}</p>`;
  if (i.status === 'error') return `<section class="inst">${head}<p><strong>${e(t(lang, 'notAudited'))}:</strong> ${e(i.error)}</p></section>`;
  const prev = i.previous ? ` <span class="muted">(${e(t(lang, 'previousRun'))} ${i.previous.runId}: ${e(i.previous.grade ? DEFAULT_METHODOLOGY.accessibility.labels[i.previous.grade][lang] : '–')}, ${formatNumber(lang, i.previous.accessibilityScore)})</span>` : '';
  const kv = `<dl class="kv">
  <dt>${e(t(lang, 'grade'))}</dt><dd>${gradeBadge(lang, i.grade)}${i.gradeProvisional ? ` <strong>(${e(t(lang, 'provisional'))})</strong>` : ''}${i.exclusions?.ignoredRules.length ? ` <strong>(${e(t(lang, 'ignoredRules'))}: ${i.exclusions.ignoredRules.map((r) => `<code>${e(r)}</code>`).join(', ')})</strong>` : ''}${prev}</dd>
  ${i.exclusions && (i.exclusions.selectors.length || i.exclusions.urlPatterns.length) ? `<dt>${e(t(lang, 'excludedContent'))}</dt><dd>${[
    i.exclusions.selectors.length ? `${e(t(lang, 'excludedSelectors'))}: ${i.exclusions.selectors.map((s) => `<code>${e(s)}</code>`).join(', ')}` : '',
    i.exclusions.urlPatterns.length ? `${e(t(lang, 'excludedUrls'))}: ${i.exclusions.urlPatterns.map((s) => `<code>${e(s)}</code>`).join(', ')}` : '',
  ].filter(Boolean).join('; ')}</dd>` : ''}
  <dt>${e(t(lang, 'accessibilityScore'))}</dt><dd>${formatNumber(lang, i.accessibilityScore)} / 100</dd>
  <dt>${e(t(lang, 'why'))}</dt><dd>${e(i.gradeReason?.[lang])}</dd>
  <dt>${e(t(lang, 'mobile'))}</dt><dd>${i.mobileFriendly === null ? '–' : e(t(lang, i.mobileFriendly ? 'mobileYes' : 'mobileNo'))}, ${formatNumber(lang, i.mobileScore)} / 100</dd>
  <dt>${e(t(lang, 'statement'))}</dt><dd>${i.statement?.found ? `${e(t(lang, 'found'))}: ${link(i.statement.url ?? '')}` : e(t(lang, 'notFound'))}</dd>
  ${i.sample ? `<dt>${e(t(lang, 'sample'))}</dt><dd>${i.sample.complete ? '' : '<strong>'}${e(i.sample[lang])}${i.sample.complete ? '' : '</strong>'}</dd>` : ''}
  ${i.sample?.makeup ? `<dt>${e(t(lang, 'sampleMakeup'))}</dt><dd>${e(i.sample.makeup[lang])}</dd>` : ''}
  <dt>${e(t(lang, 'pages'))}</dt><dd>${i.pagesOk}${i.pagesError ? ` (+${i.pagesError} ${e(t(lang, 'notAudited').toLowerCase())})` : ''}</dd>
  <dt>${e(t(lang, 'audited'))}</dt><dd>${e(formatDate(lang, i.auditedAt))}${i.emulation ? `; ${e(i.emulation.device)} ${i.emulation.width}×${i.emulation.height} @${i.emulation.deviceScaleFactor}x` : ''}</dd></dl>`;
  const fix = i.fixFirst.length
    ? `<h3>${e(t(lang, 'fixFirst'))}</h3><p>${e(t(lang, 'fixFirstIntro'))}</p><ol class="fix">${i.fixFirst.map((r) => `<li>${ruleLine(lang, r)}${evidence(lang, { ...r, evidence: r.evidence.slice(0, 1) })}</li>`).join('')}</ol>`
    : `<h3>${e(t(lang, 'fixFirst'))}</h3><p>${e(t(lang, 'noViolations'))}</p>`;
  const criteria = i.criteria.length ? `<h3>${e(t(lang, 'byCriterion'))}</h3>${i.criteria.map((c) => `<h4>${c.sc ? `WCAG ${e(c.sc)} ${e(c.title?.[lang] ?? '')}${c.level ? ` (${e(c.level)})` : ''} · EN 301 549 ${e(c.en301549 ?? t(lang, 'notInEn'))}` : e(t(lang, 'bestPractice'))}</h4>
    <ul>${c.rules.map((r) => `<li>${ruleLine(lang, r)}${evidence(lang, r)}</li>`).join('')}</ul>`).join('')}` : '';
  const changes = i.previous ? `<h3>${e(t(lang, 'change'))}</h3>
    <p><strong>${e(t(lang, 'newSince'))}:</strong> ${i.criteria.length ? [...new Map(i.criteria.flatMap((c) => c.rules).filter((r) => r.isNew).map((r) => [r.id, r])).values()].map((r) => `<code>${e(r.id)}</code>`).join(', ') || e(t(lang, 'none')) : e(t(lang, 'none'))}</p>
    <p><strong>${e(t(lang, 'fixedSince'))}:</strong> ${i.fixed.map((f) => `<code>${e(f.id)}</code> (${e(ruleHelp(lang, f.id, f.help))})`).join(', ') || e(t(lang, 'none'))}</p>
    ${i.notRechecked.length ? `<p><strong>${e(t(lang, 'notRechecked'))}:</strong> ${i.notRechecked.map((f) => `<code>${e(f.id)}</code> (${e(ruleHelp(lang, f.id, f.help))})`).join(', ')}</p>` : ''}` : '';
  const mobile = i.failedMobileChecks.length ? `<h3>${e(t(lang, 'mobileChecks'))}</h3><ul>${i.failedMobileChecks.map((m) => `<li><strong>${e(MOBILE_CHECK_LABELS[m.check][lang])}</strong> (${m.pages}): ${e(m.example[lang])}</li>`).join('')}</ul>` : '';
  const errors = i.pageErrors.length ? `<h3>${e(t(lang, 'pageErrors'))}</h3><ul>${i.pageErrors.map((p) => `<li>${link(p.url)}: ${e(p.error)} (${e(p.code)})</li>`).join('')}</ul>` : '';
  const observed = i.observed ? `<h3>${e(t(lang, 'observed'))}</h3><ul>${i.observed.map((o) => `<li><strong>${e(OBSERVED_LABELS[o.kind][lang])}</strong> (<code>${e(o.criterion)}</code>${o.surveyValue !== null ? `; ${e(t(lang, 'surveyValue'))}: ${e(formatNumber(lang, o.surveyValue))}` : ''}): ${o.urls.length ? o.urls.slice(0, 5).map((u) => link(u)).join(', ') + (o.urls.length > 5 ? ` (+${o.urls.length - 5})` : '') : e(t(lang, 'noneSeen'))}</li>`).join('')}</ul>` : '';
  return `<section class="inst">${head}${kv}${fix}${changes}${criteria}${mobile}${observed}${errors}</section>`;
}

/** The headline as 2019 printed it: the overall e-index of institutions and of municipalities, beside 2019's. */
export function headlineSection(r: Report, lang: Lang): string {
  if (!r.headline) return '';
  const row = (k: 'institutions' | 'municipalities') => {
    const h = r.headline![k];
    return `<tr><th scope="row">${e(r.reference2019.eIndexLabels[k][lang])}</th><td class="num"><strong>${e(formatIndex(lang, h.eIndex))}</strong></td><td class="num">${e(formatIndex(lang, h.eIndex2019))}</td><td class="num">${h.complete} / ${h.institutions}</td></tr>`;
  };
  return `<section id="headline"><h2>${e(t(lang, 'headline'))}</h2>
  <table><caption>${e(t(lang, 'headlineCaption'))}</caption><thead><tr><th scope="col">${e(t(lang, 'group'))}</th><th scope="col" class="num">${e(t(lang, 'run'))} ${r.run.id}</th><th scope="col" class="num">2019</th><th scope="col" class="num">${e(t(lang, 'completeData'))}</th></tr></thead>
  <tbody>${row('institutions')}${row('municipalities')}</tbody></table></section>`;
}

export function indexSection(x: IndexResult, lang: Lang): string {
  const dims = x.methodology.dimensions;
  const pct = (v: number | null) => e(formatIndex(lang, v));
  const means = x.groupMeans.map((g) => `<tr><th scope="row">${e(GROUP_LABELS[g.group][lang])}</th><td class="num">${g.complete} / ${g.institutions}</td><td class="num">${pct(g.eIndex)}</td>${dims.map((d) => `<td class="num">${pct(g.dimensions[d.id] ?? null)}</td>`).join('')}</tr>`).join('');
  const then = REFERENCE_2019.best as unknown as Record<string, Record<string, string[]> | string>;
  const best = (Object.keys(x.best) as (keyof IndexResult['best'])[]).filter((g) => x.institutions.some((i) => i.group === g)).map((g) => `<h4>${e(t(lang, 'best'))}: ${e(GROUP_LABELS[g][lang])}</h4><ul>
    <li><strong>${e(t(lang, 'eIndex'))}</strong>: ${x.best[g].eIndex!.map((b) => `${e(b.name)} (${pct(b.value)})`).join(', ') || '–'}</li>
    ${dims.map((d) => {
      const before = (then[d.id] as Record<string, string[]> | undefined)?.[g];
      return `<li>${e(d[lang])}: ${x.best[g][d.id]!.map((b) => `${e(b.name)} (${pct(b.value)})`).join(', ') || '–'}${before ? `<br><span class="muted">2019: ${e(before.join(', '))}</span>` : ''}</li>`;
    }).join('')}</ul>`).join('');
  const incomplete = x.institutions.filter((i) => !i.complete);
  return `<section id="index"><h2>${e(t(lang, 'eIndex'))} (${e(x.methodology.version)})</h2>
  <table><caption>${e(t(lang, 'groupMeans'))}</caption><thead><tr><th scope="col">${e(t(lang, 'group'))}</th><th scope="col" class="num">n</th><th scope="col" class="num">${e(t(lang, 'eIndex'))}</th>${dims.map((d) => `<th scope="col" class="num">${e(d[lang])}</th>`).join('')}</tr></thead><tbody>${means}</tbody></table>
  <h3>${e(t(lang, 'best'))}</h3><p class="muted">${e(t(lang, 'best2019'))}: ${e(lang === 'lv' ? 'pelēkā krāsā zem katras dimensijas' : 'in grey under each dimension')}.</p>
  ${best}
  <table><caption>${e(t(lang, 'institutions'))}</caption><thead><tr><th scope="col" class="num">${e(t(lang, 'rank'))}</th><th scope="col">${e(t(lang, 'institution'))}</th><th scope="col" class="num">${e(t(lang, 'eIndex'))}</th>${dims.map((d) => `<th scope="col" class="num">${e(d[lang])}</th>`).join('')}</tr></thead>
  <tbody>${x.institutions.map((i) => `<tr><td class="num">${i.rank ?? '–'}</td><th scope="row">${e(i.name)}${i.complete ? '' : ` <span class="muted">(${e(t(lang, 'incomplete'))})</span>`}</th><td class="num">${pct(i.eIndex)}</td>${dims.map((d) => `<td class="num">${pct(i.dimensions[d.id]!.value)}</td>`).join('')}</tr>`).join('')}</tbody></table>
  ${incomplete.length ? `<h3>${e(t(lang, 'missing'))}</h3><ul>${incomplete.map((i) => `<li>${e(i.name)}: ${e(i.missing.join(', '))}</li>`).join('')}</ul>` : ''}
  </section>`;
}

/**
 * Every page of one site's sample: its title, why it was sampled, its accessibility score and the rules it
 * violates, its mobile verdict with the checks that failed, and Lighthouse's accessibility score.
 */
export function pageTable(result: SiteResult, lang: Lang): string {
  const rows = result.pages.map((p) => {
    const failing = p.mobile ? (['viewport', 'fitsScreen', 'legibleText', 'tapTargets', 'noPlugins'] as const).filter((c) => !p.mobile![c].pass) : [];
    const verdict = p.status === 'error' ? `${t(lang, 'notAudited')}: ${p.error ?? ''}`
      : p.mobile ? `${t(lang, p.mobile.mobileFriendly ? 'mobileYes' : 'mobileNo')}${failing.length ? ` (${failing.map((c) => MOBILE_CHECK_LABELS[c][lang]).join(', ')})` : ''}` : '–';
    const rules = p.axe?.violations.length ? p.axe.violations.map((v) => `<code>${e(v.id)}</code> (${v.nodes.length})`).join(', ') : p.axe ? '0' : '–';
    return `<tr><td>${link(p.url)}${p.title ? `<br><span class="muted">${e(p.title)}</span>` : ''}</td><td>${e(reasonLabel(lang, p.reason ?? p.source))}</td>`
      + `<td class="num">${formatNumber(lang, p.accessibilityScore)}</td><td>${rules}</td><td>${e(verdict)}</td><td class="num">${p.lighthouse?.accessibility === null || p.lighthouse?.accessibility === undefined ? '–' : formatNumber(lang, p.lighthouse.accessibility, 0)}</td></tr>`;
  }).join('');
  return `<section><h2>${e(t(lang, 'pageList'))}</h2><table><caption>${e(t(lang, 'pageList'))}</caption><thead><tr><th scope="col">${e(t(lang, 'page'))}</th><th scope="col">${e(t(lang, 'sampledAs'))}</th>`
    + `<th scope="col" class="num">${e(t(lang, 'accessibilityScore'))}</th><th scope="col">${e(t(lang, 'rulesViolated'))}</th><th scope="col">${e(t(lang, 'mobile'))}</th><th scope="col" class="num">Lighthouse</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** One site's report (`eindex audit --html`): the same institution section as the run report's. */
export function renderSiteHtml(result: SiteResult, lang: Lang): string {
  const inst = siteReport(result);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(t(lang, 'siteReportTitle'))}: ${e(result.url)}</title><style>${REPORT_STYLE}</style></head>
<body><main>
<h1>${e(t(lang, 'siteReportTitle'))}</h1>
<p class="muted">${e(t(lang, 'methodology'))} ${e(result.methodology.version)} · eindex ${e(result.tool.version)}, axe-core ${e(result.tool.axeCore)}${result.tool.lighthouse ? `, Lighthouse ${e(result.tool.lighthouse)}` : ''}</p>
<p class="muted">${e(t(lang, 'disclaimer'))}</p>
${scrollableTables(institutionSection(inst, lang, 'h2', true))}
${scrollableTables(pageTable(result, lang))}
</main></body></html>
`;
}

export function renderReportHtml(r: Report, lang: Lang): string {
  const toc = `<nav aria-labelledby="toc"><h2 id="toc">${e(t(lang, 'contents'))}</h2><ul>${r.headline ? `<li><a href="#headline">${e(t(lang, 'headline'))}</a></li>` : ''}<li><a href="#overview">${e(t(lang, 'overview'))}</a></li>${r.index ? `<li><a href="#index">${e(t(lang, 'eIndex'))}</a></li>` : ''}
  ${r.institutions.map((i) => `<li><a href="#${anchor(i.id)}">${e(i.name)}</a> ${gradeBadge(lang, i.grade)}</li>`).join('')}</ul></nav>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(t(lang, 'reportTitle'))} — ${e(t(lang, 'run'))} ${r.run.id}</title><style>${REPORT_STYLE}</style></head>
<body><main>
<h1>${e(t(lang, 'reportTitle'))}</h1>
<p>${e(t(lang, 'run'))} ${r.run.id}: ${e(formatDate(lang, r.run.startedAt))} · ${e(t(lang, 'methodology'))} ${e(r.run.methodologyVersion)} · ${e(t(lang, 'generated'))} ${e(formatDate(lang, r.generatedAt))}</p>
<p class="muted">${e(t(lang, 'disclaimer'))}</p>
${toc}
${scrollableTables(headlineSection(r, lang))}
${scrollableTables(overviewSection(r, lang))}
${r.index ? scrollableTables(indexSection(r.index, lang)) : ''}
${r.institutions.map((i) => institutionSection(i, lang)).join('\n')}
</main></body></html>
`;
}
