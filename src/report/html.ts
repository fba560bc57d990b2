// A self-contained HTML page a webmaster can read. No script at all, and a CSP that forbids any, so
// hostile content from an audited page (titles, snippets, URLs) can only ever show as text.
import type { PageResult, SiteResult } from '../schema/result.js';
import { escapeHtml as e, safeHref } from '../util/html.js';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #ddd}h3{font-size:1.05rem}
.grade{display:inline-block;padding:.3rem .8rem;border-radius:.4rem;font-weight:700;color:#fff}
.g-highest{background:#176d2f}.g-high{background:#2f6f3e}.g-medium{background:#8a5a00}.g-low{background:#a11d1d}.g-none{background:#555}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.kv dt{font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}code,pre{font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap;word-break:break-all}
pre{background:#f6f6f6;padding:.4rem;margin:.2rem 0}.pass{color:#176d2f}.fail{color:#a11d1d;font-weight:600}
details{margin:.3rem 0}summary{cursor:pointer}a{color:#0645ad}
`;

const link = (url: string, text = url) => {
  const href = safeHref(url);
  return href ? `<a href="${e(href)}">${e(text)}</a>` : e(text);
};

function mobileRows(p: PageResult): string {
  const m = p.mobile!;
  const rows: [string, { pass: boolean; detail: string }][] = [
    ['Viewport', m.viewport], ['Fits the screen', m.fitsScreen], ['Legible text', m.legibleText],
    ['Tap targets', m.tapTargets], ['No plugins', m.noPlugins],
  ];
  return rows.map(([name, c]) => `<tr><td>${name}</td><td class="${c.pass ? 'pass' : 'fail'}">${c.pass ? 'pass' : 'fail'}</td><td>${e(c.detail)}</td></tr>`).join('');
}

function pageSection(p: PageResult, i: number): string {
  if (p.status === 'error') {
    return `<section><h3>${i + 1}. ${link(p.url)}</h3><p class="fail">Not audited: ${e(p.error)} (${e(p.errorCode)})</p></section>`;
  }
  const violations = p.axe!.violations.map((v) => `
    <details><summary><strong>[${e(v.impact)}]</strong> ${e(v.help)} — <code>${e(v.id)}</code>${v.wcag.length ? `, WCAG ${e(v.wcag.join(', '))}` : ''} (${v.nodes.length})</summary>
    <p>${e(v.description)} ${link(v.helpUrl, 'How to fix')}</p>
    ${v.nodes.slice(0, 20).map((n) => `<p><code>${e(n.target.join(' '))}</code></p><pre>${e(n.html)}</pre>`).join('')}
    ${v.nodes.length > 20 ? `<p>… and ${v.nodes.length - 20} more elements.</p>` : ''}
    </details>`).join('');
  const review = p.axe!.needsReview.length
    ? `<p>Needs review by a person: ${p.axe!.needsReview.map((r) => `<code>${e(r.id)}</code> (${r.nodes.length})`).join(', ')}</p>` : '';
  const lh = p.lighthouse ? `<p>Lighthouse accessibility: <strong>${e(p.lighthouse.accessibility ?? '–')}</strong>${p.lighthouse.error ? ` (${e(p.lighthouse.error)})` : ''}</p>` : '';
  return `<section><h3>${i + 1}. ${link(p.url)}</h3>
  <p>${e(p.title ?? '')} — score <strong>${e(p.accessibilityScore ?? '–')}</strong>, mobile score <strong>${e(p.mobile!.score)}</strong></p>${lh}
  ${violations || '<p class="pass">No axe-core violations.</p>'}${review}
  <table><caption>Mobile checks</caption><thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Detail</th></tr></thead><tbody>${mobileRows(p)}</tbody></table>
  </section>`;
}

export function renderHtml(r: SiteResult): string {
  const gradeClass = r.grade ? `g-${r.grade}` : 'g-none';
  const problems = r.summary.topProblems.map((p) => `<tr><td>${e(p.impact)}</td><td>${e(p.help)}<br><code>${e(p.id)}</code></td><td>${e(p.wcag.join(', '))}</td><td>${p.pages}</td><td>${p.nodes}</td><td><code>${e(p.example.target)}</code><pre>${e(p.example.html)}</pre>${link(p.helpUrl, 'How to fix')}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>eindex report — ${e(r.url)}</title><style>${STYLE}</style></head>
<body><main>
<h1>Accessibility and mobile report: ${link(r.url)}</h1>
<p><span class="grade ${gradeClass}">${e(r.gradeLabel?.en ?? 'Not graded')}</span> <span lang="lv">${e(r.gradeLabel?.lv ?? '')}</span></p>
<dl class="kv">
<dt>Accessibility score</dt><dd>${e(r.accessibilityScore ?? '–')} / 100</dd>
<dt>Why this grade</dt><dd>${e(r.gradeReason)}${r.gradeProvisional ? ' <strong>The grade is provisional.</strong>' : ''}</dd>
${r.sample ? `<dt>Sample</dt><dd>${r.sample.complete ? e(r.sample.statement) : `<strong>${e(r.sample.statement)}</strong>`}</dd>` : ''}
<dt>Mobile</dt><dd>${r.mobileFriendly === null ? '–' : r.mobileFriendly ? 'mobile-friendly' : 'not mobile-friendly'}, score ${e(r.mobileScore ?? '–')} / 100</dd>
<dt>Accessibility statement</dt><dd>${r.accessibilityStatement.found ? link(r.accessibilityStatement.url ?? '', r.accessibilityStatement.linkText || r.accessibilityStatement.url || '') : 'no link to an accessibility statement found'}</dd>
<dt>Pages</dt><dd>${r.summary.pagesOk} audited, ${r.summary.pagesError} failed</dd>
<dt>Audited</dt><dd>${e(r.finishedAt)} with eindex ${e(r.tool.version)}, axe-core ${e(r.tool.axeCore)}${r.tool.lighthouse ? `, Lighthouse ${e(r.tool.lighthouse)}` : ''}, ${e(r.tool.browser)}; methodology ${e(r.methodology.version)}; emulation ${e(r.emulation.device)} ${r.emulation.width}×${r.emulation.height} @${r.emulation.deviceScaleFactor}x; rules tagged ${e(r.axeTags.join(' '))}</dd>
</dl>
<h2>What to fix first</h2>
${problems ? `<table><thead><tr><th scope="col">Impact</th><th scope="col">Problem</th><th scope="col">WCAG</th><th scope="col">Pages</th><th scope="col">Elements</th><th scope="col">Example</th></tr></thead><tbody>${problems}</tbody></table>` : '<p class="pass">axe-core found no violations on the audited pages.</p>'}
<h2>Pages</h2>
${r.pages.map(pageSection).join('\n')}
${r.discovery.documents.length ? `<h2>Documents found (not audited as pages)</h2><ul>${r.discovery.documents.slice(0, 100).map((d) => `<li>${e(d.type)}: ${link(d.url)}</li>`).join('')}</ul>` : ''}
<p><small>Automated testing finds only part of the accessibility barriers; results marked "needs review" must be checked by a person.</small></p>
</main></body></html>
`;
}
