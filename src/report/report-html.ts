// The compliance report as one self-contained HTML page (the PDF prints the same page). No script; a CSP
// that forbids any; every text from audited sites escaped; screenshots only as validated JPEG data URIs.
import type { Grade, SiteResult } from '../schema/result.js';
import { html, htmlText, joinHtml, safeHref, trustedHtml, type Html } from '../util/html.js';
import type { IndexResult } from '../index/compute.js';
import { GRADE_COLORS, shareBars, stackedBars } from './charts.js';
import { countOf, failureText, onPages, formatDate, formatIndex, formatNumber, formatPercent, formatPoints, GROUP_LABELS, IMPACT_LABELS, MOBILE_CHECK_LABELS, OBSERVED_LABELS, reasonLabel, t, type Lang } from './i18n.js';
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
a{color:#0645ad;overflow-wrap:break-word}h1,h2,h3,h4,p,li,dd,figcaption{overflow-wrap:break-word}td,th{overflow-wrap:normal;word-break:normal}td a[href^="http"],td code{overflow-wrap:anywhere}.grade{white-space:normal}nav ul{columns:2}nav li{padding:.15rem 0}nav a{display:inline-block;min-height:24px;line-height:24px}.tw{overflow-x:auto;max-width:100%}svg.chart text{font-family:system-ui,"DejaVu Sans",sans-serif}
@media print{body{max-width:none;padding:0;font-size:10.5pt}h1,h2,h3,h4,caption{break-after:avoid;page-break-after:avoid}.tw{overflow:visible}table{font-size:8pt}th,td{padding:.1rem .2rem}section.inst{break-before:page}tr,figure,li{break-inside:avoid}a{color:#1b1b1b;text-decoration:none}pre{max-height:none}}
`;

/**
 * Wide tables scroll inside a keyboard-reachable region instead of widening the page (a phone's screen):
 * the region is named by the table's caption.
 */
export function scrollableTables(doc: Html): Html {
  // Our own markup read back: the caption is escaped text already.
  return trustedHtml(doc.markup.replace(/<table><caption>([^<]*)<\/caption>([\s\S]*?)<\/table>/g, (_all, caption: string, rest: string) =>
    `<div class="tw" role="region" tabindex="0" aria-label="${caption}"><table><caption>${caption}</caption>${rest}</table></div>`));
}

const SCREENSHOT = /^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/;

export const link = (url: string, text = url): Html => {
  const href = safeHref(url);
  return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
};

export function gradeBadge(lang: Lang, grade: Grade | null): Html {
  const label = grade ? DEFAULT_METHODOLOGY.accessibility.labels[grade][lang] : t(lang, 'notGraded');
  return html`<span class="grade ${grade ? `g-${grade}` : 'g-none'}">${label}</span>`;
}

const gradeNames = (lang: Lang) => Object.fromEntries(GRADES.map((g) => [g, DEFAULT_METHODOLOGY.accessibility.labels[g][lang]])) as Record<Grade, string>;
/** A list, or the word for none. */
const listOr = (items: Html[], none: string): Html | string => (items.length ? joinHtml(items, ', ') : none);
const anchor = (id: string) => `inst-${id.replace(/[^a-z0-9._-]/gi, '_')}`;

export function overviewSection(r: Report, lang: Lang, hrefFor: (id: string) => string = (id) => `#${anchor(id)}`): Html {
  const pct = (x: number | null) => formatPercent(lang, x);
  const names = gradeNames(lang);
  const chart = stackedBars(t(lang, 'gradeDistribution'), r.groups.map((g) => ({ label: GROUP_LABELS[g.group][lang], parts: GRADES.map((k) => ({ key: k, share: g.grades[k].share })) })), names, pct);
  const mobileChart = shareBars(t(lang, 'mobileFriendlyShare'), r.groups.map((g) => ({ label: GROUP_LABELS[g.group][lang], share: g.mobileFriendly.share })), pct);
  const rows = r.groups.map((g) => html`<tr><th scope="row">${GROUP_LABELS[g.group][lang]}</th><td class="num">${g.audited} / ${g.institutions}</td>
    ${GRADES.map((k) => html`<td class="num">${pct(g.grades[k].share)} <span class="muted">(${g.grades[k].count})</span>${g.change ? html`<br><span class="muted">${formatPoints(lang, g.change.grades[k])}</span>` : ''}</td>`)}
    <td class="num">${pct(g.mobileFriendly.share)}${g.change ? html`<br><span class="muted">${formatPoints(lang, g.change.mobileFriendly)}</span>` : ''}</td>
    <td class="num">${pct(g.statement.share)}${g.change ? html`<br><span class="muted">${formatPoints(lang, g.change.statement)}</span>` : ''}</td>
    <td class="num">${formatNumber(lang, g.meanAccessibilityScore)}</td></tr>`);
  // The best of a group below "medium" is said to be so: a list headed "best" could read as praise.
  const weak = (g: (typeof r.groups)[number]) => g.best.length > 0 && g.best.every((b) => b.grade === 'low' || b.grade === null);
  const best = r.groups.map((g) => html`<h3>${t(lang, 'best')}: ${GROUP_LABELS[g.group][lang]}</h3>${weak(g) ? html`<p class="muted">${t(lang, 'bestBelowMedium')}</p>` : ''}<ol>${g.best.map((b) => html`<li><a href="${hrefFor(b.id)}">${b.name}</a> — ${gradeBadge(lang, b.grade)} ${formatNumber(lang, b.accessibilityScore)}</li>`)}</ol>`);
  const ref = r.reference2019;
  const refRow = (k: 'institutions' | 'municipalities') => html`<tr><th scope="row">${GROUP_LABELS[k][lang]}</th>${GRADES.map((g) => html`<td class="num">${pct(ref.current[k][g])} <span class="muted">(2019: ${pct(ref.grades[k][g])})</span></td>`)}<td class="num">${pct(ref.current[k].mobileFriendly)} <span class="muted">(2019: ${pct(ref.mobileFriendly[k])})</span></td></tr>`;
  return html`<section id="overview"><h2>${t(lang, 'overview')}</h2>
  ${r.previousRun ? html`<p>${t(lang, 'previousRun')} ${r.previousRun.id} (${formatDate(lang, r.previousRun.startedAt)}); ${t(lang, 'change').toLowerCase()} ${t(lang, 'changeShownUnder')}.</p>` : html`<p class="muted">${t(lang, 'noPreviousRun')}</p>`}
  <figure>${chart}</figure>
  <table><caption>${t(lang, 'gradeDistribution')}</caption><thead><tr><th scope="col">${t(lang, 'group')}</th><th scope="col" class="num">${t(lang, 'sitesAudited')}</th>
  ${GRADES.map((g) => html`<th scope="col" class="num">${names[g]}</th>`)}<th scope="col" class="num">${t(lang, 'mobileFriendlyShare')}</th><th scope="col" class="num">${t(lang, 'statementShare')}</th><th scope="col" class="num">${t(lang, 'meanScore')}</th></tr></thead><tbody>${rows}</tbody></table>
  <h3>${t(lang, 'mobileFriendlyShare')}</h3><figure>${mobileChart}</figure>
  ${best}
  <table><caption>${t(lang, 'reference2019')}</caption><thead><tr><th scope="col">${t(lang, 'group')}</th>${GRADES.map((g) => html`<th scope="col" class="num">${names[g]}</th>`)}<th scope="col" class="num">${t(lang, 'mobileFriendlyShare')}</th></tr></thead>
  <tbody>${refRow('institutions')}${refRow('municipalities')}</tbody></table>
  <p class="muted">${t(lang, 'comparability')}</p>
  </section>`;
}

function evidence(lang: Lang, rule: RuleFinding): Html {
  return html`${rule.evidence.map((ev) => html`<div>${link(ev.url)}: <code>${ev.target}</code><pre>${ev.html}</pre>${ev.screenshot && SCREENSHOT.test(ev.screenshot)
    ? html`<figure><img src="${ev.screenshot}" alt="${`${t(lang, 'screenshot')}: ${ev.target}`}"></figure>` : ''}</div>`)}`;
}

function ruleLine(lang: Lang, rule: RuleFinding): Html {
  const impact = rule.impact ? IMPACT_LABELS[rule.impact][lang] : '?';
  return html`<strong>${rule.hint[lang]}</strong> ${rule.isNew ? html`<span class="new">${t(lang, 'isNew')}</span>` : ''}<br>
  <span class="muted">${t(lang, 'impact')}: ${impact}; <code>${rule.id}</code>${rule.wcag.length ? `; WCAG ${rule.wcag.join(', ')}` : ''}; ${onPages(lang, rule.pages)}, ${countOf(lang, rule.nodes, ['element', 'elements'], ['elements', 'elementi'])}; ${link(rule.helpUrl, t(lang, 'moreInfo'))}</span>`;
}

/** `standalone`: one site audited on its own (a check, `eindex audit`): no registry group to name. */
/** `sectionClass`: "inst" starts a new page in print (the run report); the dashboard's page is one institution. */
export function institutionSection(i: InstitutionReport, lang: Lang, heading = 'h2', standalone = false, sectionClass: string | null = 'inst'): Html {
  const head = html`<${heading} id="${anchor(i.id)}">${i.name}</${heading}><p>${link(i.url)}${standalone ? '' : ` · ${GROUP_LABELS[i.group][lang]}`}</p>`;
  if (i.status === 'error') return html`<section${sectionClass ? html` class="${sectionClass}"` : ''}>${head}<p><strong>${t(lang, 'notAudited')}:</strong> ${failureText(lang, i.error ?? '')}</p></section>`;
  const prev = i.previous ? html` <span class="muted">(${t(lang, 'previousRun')} ${i.previous.runId}: ${i.previous.grade ? DEFAULT_METHODOLOGY.accessibility.labels[i.previous.grade][lang] : '–'}, ${formatNumber(lang, i.previous.accessibilityScore)})</span>` : '';
  const kv = html`<dl class="kv">
  <dt>${t(lang, 'grade')}</dt><dd>${gradeBadge(lang, i.grade)}${i.gradeProvisional ? html` <strong>(${t(lang, 'provisional')})</strong>` : ''}${i.exclusions?.ignoredRules.length ? html` <strong>(${t(lang, 'ignoredRules')}: ${joinHtml(i.exclusions.ignoredRules.map((r) => html`<code>${r}</code>`), ', ')})</strong>` : ''}${prev}</dd>
  ${i.exclusions && (i.exclusions.selectors.length || i.exclusions.urlPatterns.length) ? html`<dt>${t(lang, 'excludedContent')}</dt><dd>${joinHtml([
    i.exclusions.selectors.length ? html`${t(lang, 'excludedSelectors')}: ${joinHtml(i.exclusions.selectors.map((s) => html`<code>${s}</code>`), ', ')}` : null,
    i.exclusions.urlPatterns.length ? html`${t(lang, 'excludedUrls')}: ${joinHtml(i.exclusions.urlPatterns.map((s) => html`<code>${s}</code>`), ', ')}` : null,
  ].filter((x) => x !== null), '; ')}</dd>` : ''}
  <dt>${t(lang, 'accessibilityScore')}</dt><dd>${formatNumber(lang, i.accessibilityScore)} / 100</dd>
  <dt>${t(lang, 'why')}</dt><dd>${i.gradeReason?.[lang]}</dd>
  <dt>${t(lang, 'mobile')}</dt><dd>${i.mobileFriendly === null ? '–' : t(lang, i.mobileFriendly ? 'mobileYes' : 'mobileNo')}, ${formatNumber(lang, i.mobileScore)} / 100</dd>
  <dt>${t(lang, 'statement')}</dt><dd>${i.statement?.found ? html`${t(lang, 'found')}: ${link(i.statement.url ?? '')}` : t(lang, 'notFound')}</dd>
  ${i.sample ? html`<dt>${t(lang, 'sample')}</dt><dd>${i.sample.complete ? i.sample[lang] : html`<strong>${i.sample[lang]}</strong>`}</dd>` : ''}
  ${i.sample?.makeup ? html`<dt>${t(lang, 'sampleMakeup')}</dt><dd>${i.sample.makeup[lang]}</dd>` : ''}
  ${i.sample?.confidence ? html`<dt>${t(lang, 'sampleConfidence')}</dt><dd>${i.sample.confidence[lang]}</dd>` : ''}
  <dt>${t(lang, 'pages')}</dt><dd>${i.pagesOk}${i.pagesError ? ` (+${i.pagesError} ${t(lang, 'notAudited').toLowerCase()})` : ''}</dd>
  <dt>${t(lang, 'audited')}</dt><dd>${formatDate(lang, i.auditedAt)}${i.emulation ? `; ${i.emulation.device} ${i.emulation.width}×${i.emulation.height} @${i.emulation.deviceScaleFactor}x` : ''}</dd></dl>`;
  const fix = i.fixFirst.length
    ? html`<h3>${t(lang, 'fixFirst')}</h3><p>${t(lang, 'fixFirstIntro')}</p><ol class="fix">${i.fixFirst.map((r) => html`<li>${ruleLine(lang, r)}${evidence(lang, { ...r, evidence: r.evidence.slice(0, 1) })}</li>`)}</ol>`
    : html`<h3>${t(lang, 'fixFirst')}</h3><p>${t(lang, 'noViolations')}</p>`;
  // A rule's elements are shown once: under its first criterion, less the one "fix first" showed already;
  // under its other criteria a line says where (one violation and its screenshot appeared three times).
  const shownUnder = new Map<string, string>();
  const inFixFirst = new Set(i.fixFirst.map((r) => r.id));
  const details = (r: RuleFinding, sc: string | null) => {
    const first = shownUnder.get(r.id);
    if (first !== undefined) return html`<br><span class="muted">${t(lang, 'elementsShownUnder')} ${first}</span>`;
    shownUnder.set(r.id, sc ? `WCAG ${sc}` : t(lang, 'bestPractice'));
    return evidence(lang, inFixFirst.has(r.id) ? { ...r, evidence: r.evidence.slice(1) } : r);
  };
  const criteria = i.criteria.length ? html`<h3>${t(lang, 'byCriterion')}</h3>${i.criteria.map((c) => html`<h4>${c.sc ? `WCAG ${c.sc} ${c.title?.[lang] ?? ''}${c.level ? ` (${c.level})` : ''} · EN 301 549 ${c.en301549 ?? t(lang, c.level === 'AAA' ? 'notInEnAaa' : 'notInEn')}` : t(lang, 'bestPractice')}</h4>
    <ul>${c.rules.map((r) => html`<li>${ruleLine(lang, r)}${details(r, c.sc)}</li>`)}</ul>`)}` : '';
  const changes = i.previous ? html`<h3>${t(lang, 'change')}</h3>
    <p><strong>${t(lang, 'newSince')}:</strong> ${listOr([...new Map(i.criteria.flatMap((c) => c.rules).filter((r) => r.isNew).map((r) => [r.id, r])).values()].map((r) => html`<code>${r.id}</code>`), t(lang, 'none'))}</p>
    <p><strong>${t(lang, 'fixedSince')}:</strong> ${listOr(i.fixed.map((f) => html`<code>${f.id}</code> (${ruleHelp(lang, f.id, f.help)})`), t(lang, 'none'))}</p>
    ${i.notRechecked.length ? html`<p><strong>${t(lang, 'notRechecked')}:</strong> ${joinHtml(i.notRechecked.map((f) => html`<code>${f.id}</code> (${ruleHelp(lang, f.id, f.help)})`), ', ')}</p>` : ''}` : '';
  const mobile = i.failedMobileChecks.length ? html`<h3>${t(lang, 'mobileChecks')}</h3><ul>${i.failedMobileChecks.map((m) => html`<li><strong>${MOBILE_CHECK_LABELS[m.check][lang]}</strong> (${m.pages}): ${m.example[lang]}</li>`)}</ul>` : '';
  const errors = i.pageErrors.length ? html`<h3>${t(lang, 'pageErrors')}</h3><ul>${i.pageErrors.map((p) => html`<li>${link(p.url)}: ${failureText(lang, p.error)} (${p.code})</li>`)}</ul>` : '';
  const observed = i.observed ? html`<h3>${t(lang, 'observed')}</h3><ul>${i.observed.map((o) => html`<li><strong>${OBSERVED_LABELS[o.kind][lang]}</strong> (<code>${o.criterion}</code>${o.surveyValue !== null ? `; ${t(lang, 'surveyValue')}: ${formatNumber(lang, o.surveyValue)}` : ''}): ${o.urls.length ? html`${joinHtml(o.urls.slice(0, 5).map((u) => link(u)), ', ')}${o.urls.length > 5 ? ` (+${o.urls.length - 5})` : ''}` : t(lang, 'noneSeen')}</li>`)}</ul>` : '';
  return html`<section${sectionClass ? html` class="${sectionClass}"` : ''}>${head}${kv}${fix}${changes}${criteria}${mobile}${observed}${errors}</section>`;
}

/** The headline as 2019 printed it: the overall e-index of institutions and of municipalities, beside 2019's. */
export function headlineSection(r: Report, lang: Lang): Html {
  if (!r.headline) return html``;
  const row = (k: 'institutions' | 'municipalities') => {
    const h = r.headline![k];
    return html`<tr><th scope="row">${r.reference2019.eIndexLabels[k][lang]}</th><td class="num"><strong>${formatIndex(lang, h.eIndex)}</strong></td><td class="num">${formatIndex(lang, h.eIndex2019)}</td><td class="num">${h.complete} / ${h.institutions}</td></tr>`;
  };
  return html`<section id="headline"><h2>${t(lang, 'headline')}</h2>
  <table><caption>${t(lang, 'headlineCaption')}</caption><thead><tr><th scope="col">${t(lang, 'group')}</th><th scope="col" class="num">${t(lang, 'run')} ${r.run.id}</th><th scope="col" class="num">2019</th><th scope="col" class="num">${t(lang, 'completeData')}</th></tr></thead>
  <tbody>${row('institutions')}${row('municipalities')}</tbody></table></section>`;
}

export function indexSection(x: IndexResult, lang: Lang): Html {
  const dims = x.methodology.dimensions;
  const pct = (v: number | null) => formatIndex(lang, v);
  const means = x.groupMeans.map((g) => html`<tr><th scope="row">${GROUP_LABELS[g.group][lang]}</th><td class="num">${g.complete} / ${g.institutions}</td><td class="num">${pct(g.eIndex)}</td>${dims.map((d) => html`<td class="num">${pct(g.dimensions[d.id] ?? null)}</td>`)}</tr>`);
  const then = REFERENCE_2019.best as unknown as Record<string, Record<string, string[]> | string>;
  const best = (Object.keys(x.best) as (keyof IndexResult['best'])[]).filter((g) => x.institutions.some((i) => i.group === g)).map((g) => html`<h4>${t(lang, 'best')}: ${GROUP_LABELS[g][lang]}</h4><ul>
    <li><strong>${t(lang, 'eIndex')}</strong>: ${x.best[g].eIndex!.map((b) => `${b.name} (${pct(b.value)})`).join(', ') || '–'}</li>
    ${dims.map((d) => {
      const before = (then[d.id] as Record<string, string[]> | undefined)?.[g];
      return html`<li>${d[lang]}: ${x.best[g][d.id]!.map((b) => `${b.name} (${pct(b.value)})`).join(', ') || '–'}${before ? html`<br><span class="muted">2019: ${before.join(', ')}</span>` : ''}</li>`;
    })}</ul>`);
  const incomplete = x.institutions.filter((i) => !i.complete);
  return html`<section id="index"><h2>${t(lang, 'eIndex')} (${x.methodology.version})</h2>
  <table><caption>${t(lang, 'groupMeans')}</caption><thead><tr><th scope="col">${t(lang, 'group')}</th><th scope="col" class="num">n</th><th scope="col" class="num">${t(lang, 'eIndex')}</th>${dims.map((d) => html`<th scope="col" class="num">${d[lang]}</th>`)}</tr></thead><tbody>${means}</tbody></table>
  <h3>${t(lang, 'best')}</h3><p class="muted">${t(lang, 'best2019')}: ${t(lang, 'best2019Where')}.</p>
  ${best}
  <table><caption>${t(lang, 'institutions')}</caption><thead><tr><th scope="col" class="num">${t(lang, 'rank')}</th><th scope="col">${t(lang, 'institution')}</th><th scope="col" class="num">${t(lang, 'eIndex')}</th>${dims.map((d) => html`<th scope="col" class="num">${d[lang]}</th>`)}</tr></thead>
  <tbody>${x.institutions.map((i) => html`<tr><td class="num">${i.rank ?? '–'}</td><th scope="row">${i.name}${i.complete ? '' : ` <span class="muted">(${t(lang, 'incomplete')})</span>`}</th><td class="num">${pct(i.eIndex)}</td>${dims.map((d) => html`<td class="num">${pct(i.dimensions[d.id]!.value)}</td>`)}</tr>`)}</tbody></table>
  ${incomplete.length ? html`<h3>${t(lang, 'missing')}</h3><ul>${incomplete.map((i) => html`<li>${i.name}: ${i.missing.join(', ')}</li>`)}</ul>` : ''}
  </section>`;
}

/**
 * Every page of one site's sample: its title, why it was sampled, its accessibility score and the rules it
 * violates, its mobile verdict with the checks that failed, and Lighthouse's accessibility score.
 */
export function pageTable(result: SiteResult, lang: Lang): Html {
  const rows = result.pages.map((p) => {
    const failing = p.mobile ? (['viewport', 'fitsScreen', 'legibleText', 'tapTargets', 'noPlugins'] as const).filter((c) => !p.mobile![c].pass) : [];
    const verdict = p.status === 'error' ? `${t(lang, 'notAudited')}: ${p.error ?? ''}`
      : p.mobile ? `${t(lang, p.mobile.mobileFriendly ? 'mobileYes' : 'mobileNo')}${failing.length ? ` (${failing.map((c) => MOBILE_CHECK_LABELS[c][lang]).join(', ')})` : ''}` : '–';
    const rules = p.axe?.violations.length ? joinHtml(p.axe.violations.map((v) => html`<code>${v.id}</code> (${v.nodes.length})`), ', ') : p.axe ? '0' : '–';
    return html`<tr><td>${link(p.url)}${p.title ? html`<br><span class="muted">${p.title}</span>` : ''}</td><td>${reasonLabel(lang, p.reason ?? p.source)}</td><td class="num">${formatNumber(lang, p.accessibilityScore)}</td><td>${rules}</td><td>${verdict}</td><td class="num">${p.lighthouse?.accessibility === null || p.lighthouse?.accessibility === undefined ? '–' : formatNumber(lang, p.lighthouse.accessibility, 0)}</td></tr>`;
  });
  return html`<section><h2>${t(lang, 'pageList')}</h2><table><caption>${t(lang, 'pageList')}</caption><thead><tr><th scope="col">${t(lang, 'page')}</th><th scope="col">${t(lang, 'sampledAs')}</th><th scope="col" class="num">${t(lang, 'accessibilityScore')}</th><th scope="col">${t(lang, 'rulesViolated')}</th><th scope="col">${t(lang, 'mobile')}</th><th scope="col" class="num">Lighthouse</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** One site's report (`eindex audit --html`): the same institution section as the run report's. */
export function renderSiteHtml(result: SiteResult, lang: Lang): string {
  const inst = siteReport(result);
  return htmlText(html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${t(lang, 'siteReportTitle')}: ${result.url}</title><style>${trustedHtml(REPORT_STYLE)}</style></head>
<body><main>
<h1>${t(lang, 'siteReportTitle')}</h1>
<p class="muted">${t(lang, 'methodology')} ${result.methodology.version} · eindex ${result.tool.version}, axe-core ${result.tool.axeCore}${result.tool.lighthouse ? `, Lighthouse ${result.tool.lighthouse}` : ''}</p>
<p class="muted">${t(lang, 'disclaimer')}</p>
${scrollableTables(institutionSection(inst, lang, 'h2', true))}
${scrollableTables(pageTable(result, lang))}
</main></body></html>
`);
}

export function renderReportHtml(r: Report, lang: Lang): string {
  const toc = html`<nav aria-labelledby="toc"><h2 id="toc">${t(lang, 'contents')}</h2><ul>${r.headline ? html`<li><a href="#headline">${t(lang, 'headline')}</a></li>` : ''}<li><a href="#overview">${t(lang, 'overview')}</a></li>${r.index ? html`<li><a href="#index">${t(lang, 'eIndex')}</a></li>` : ''}
  ${r.institutions.map((i) => html`<li><a href="#${anchor(i.id)}">${i.name}</a> ${gradeBadge(lang, i.grade)}</li>`)}</ul></nav>`;
  return htmlText(html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${t(lang, 'reportTitle')} — ${t(lang, 'run')} ${r.run.id}</title><style>${trustedHtml(REPORT_STYLE)}</style></head>
<body><main>
<h1>${t(lang, 'reportTitle')}</h1>
<p>${t(lang, 'run')} ${r.run.id}: ${formatDate(lang, r.run.startedAt)} · ${t(lang, 'methodology')} ${r.run.methodologyVersion} · ${t(lang, 'generated')} ${formatDate(lang, r.generatedAt)}</p>
<p class="muted">${t(lang, 'disclaimer')}</p>
${toc}
${scrollableTables(headlineSection(r, lang))}
${scrollableTables(overviewSection(r, lang))}
${r.index ? scrollableTables(indexSection(r.index, lang)) : ''}
${joinHtml(r.institutions.map((i) => institutionSection(i, lang)), '\n')}
</main></body></html>
`);
}
