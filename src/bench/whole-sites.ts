// Whole government websites of a few hundred pages, built at test time from real design systems (GOV.UK
// Frontend, NHS.UK frontend, USWDS: their layouts, components and CSS from npm), shaped the way measured
// real sites are: one section holds about half the pages (news), a dozen templates of very unequal size,
// the fixed pages every site has, and a rare template (1–5 % of the pages, linked from one deep index)
// that carries a failure the rest of the site does not have. The grade of every page audited is the
// truth a sample's grade is held to (test/corpus/whole-site.test.ts, `eindex bench sample`).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { PROJECT_ROOT as ROOT } from '../version.js';
import { buildUswdsSite } from './design-systems.js';

export type WholeSiteSystem = 'govuk' | 'nhsuk' | 'usa';

export interface WholeSiteSpec {
  name: string;
  system: WholeSiteSystem;
  /** Pages of the big section (news articles): about half the site. */
  news: number;
  services: number;
  guidance: number;
  events: number;
  /** Pages of the rare template and what fails on them. */
  rare: number;
  rareFailure: 'critical' | 'serious';
  /** A failure on every news article too (serious), so the whole site is never "highest". */
  newsFailure?: boolean;
  sitemap: boolean;
}

/**
 * Three sites of 300–450 pages whose whole-site grade a sample that misses the rare template gets wrong
 * (one critical rule fails there: the whole site is "medium" at best).
 */
export const WHOLE_SITES: WholeSiteSpec[] = [
  { name: 'govuk-ministry', system: 'govuk', news: 200, services: 60, guidance: 80, events: 40, rare: 12, rareFailure: 'critical', sitemap: false },
  { name: 'nhs-agency', system: 'nhsuk', news: 170, services: 50, guidance: 70, events: 30, rare: 4, rareFailure: 'critical', newsFailure: true, sitemap: true },
  { name: 'uswds-municipality', system: 'usa', news: 140, services: 50, guidance: 60, events: 30, rare: 15, rareFailure: 'critical', sitemap: true },
];

export interface WholeSite { dir: string; paths: string[]; rarePaths: string[] }

const pkgDir = (name: string) => join(ROOT, 'node_modules', name);

type Layout = (title: string, content: string) => string;

/**
 * A layout rendered by a design system's own Nunjucks page template (`<prefix>/template.njk` in its npm
 * package's dist), with its CSS and assets copied beside the pages.
 */
function nunjucksLayout(pkg: string, prefix: string, tpl: string): { layout: Layout; assets(out: string): void } {
  const dist = join(pkgDir(pkg), 'dist');
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([dist]), { autoescape: true });
  return {
    layout: (title, content) => env.renderString(tpl, { title, content }),
    assets: (out) => {
      cpSync(join(dist, prefix, 'assets'), join(out, 'assets'), { recursive: true });
      cpSync(join(dist, prefix, `${prefix}-frontend.min.css`), join(out, `${prefix}-frontend.min.css`));
    },
  };
}

const govukLayout = () => nunjucksLayout('govuk-frontend', 'govuk', `{% extends "govuk/template.njk" %}
{% from "govuk/components/footer/macro.njk" import govukFooter %}
{% from "govuk/components/header/macro.njk" import govukHeader %}
{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}
{% block pageTitle %}{{ title }} – Ministry of Examples – GOV.UK{% endblock %}
{% block head %}<link rel="stylesheet" href="/govuk-frontend.min.css">{% endblock %}
{% block header %}{{ govukHeader({}) }}{{ govukServiceNavigation({ serviceName: "Ministry of Examples", serviceUrl: "/",
  navigation: [{ href: "/news/", text: "News" }, { href: "/services/", text: "Services" }, { href: "/guidance/", text: "Guidance" }, { href: "/events/", text: "Events" }] }) }}{% endblock %}
{% block content %}<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">{{ content | safe }}</div></div>{% endblock %}
{% block footer %}{{ govukFooter({ meta: { items: [{ href: "/help/", text: "Help" }, { href: "/cookies/", text: "Cookies" }, { href: "/contact/", text: "Contact" },
  { href: "/accessibility-statement/", text: "Accessibility statement" }, { href: "/privacy/", text: "Privacy notice" }, { href: "/sitemap/", text: "Sitemap" }] } }) }}{% endblock %}`);

const nhsLayout = () => nunjucksLayout('nhsuk-frontend', 'nhsuk', `{% extends "nhsuk/template.njk" %}
{% from "nhsuk/components/header/macro.njk" import header %}
{% from "nhsuk/components/footer/macro.njk" import footer %}
{% block pageTitle %}{{ title }} – Health Agency{% endblock %}
{% block head %}<link rel="stylesheet" href="/nhsuk-frontend.min.css">{% endblock %}
{% block header %}{{ header({ service: { text: "Health Agency", href: "/" },
  navigation: { items: [{ href: "/news/", text: "News" }, { href: "/services/", text: "Services" }, { href: "/guidance/", text: "Health A to Z" }, { href: "/events/", text: "Events" }] } }) }}{% endblock %}
{% block content %}<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">{{ content | safe }}</div></div>{% endblock %}
{% block footer %}{{ footer({ navigation: [{ items: [{ href: "/accessibility-statement/", text: "Accessibility statement" }, { href: "/contact/", text: "Contact us" },
  { href: "/cookies/", text: "Cookies" }, { href: "/privacy/", text: "Privacy policy" }, { href: "/help/", text: "Help" }, { href: "/sitemap/", text: "Sitemap" }] }] }) }}{% endblock %}`);

/** USWDS's own documentation page (its Twig template, as its build renders it), its main content replaced. */
function usaLayout(): { layout: Layout; assets(out: string): void } {
  const built = buildUswdsSite();
  const page = readFileSync(join(built, 'usa-documentation', 'index.html'), 'utf8');
  const open = page.indexOf('>', page.indexOf('<main')) + 1;
  const close = page.indexOf('</main>');
  const before = page.slice(0, open);
  const after = page.slice(close);
  return {
    layout: (title, content) => before.replace(/<title>[^<]*<\/title>/, `<title>${title} | Example City</title>`) + content + after,
    assets: (out) => {
      for (const asset of ['css', 'js', 'img', 'fonts']) cpSync(join(built, asset), join(out, asset), { recursive: true });
    },
  };
}

const LAYOUTS: Record<WholeSiteSystem, () => { layout: Layout; assets(out: string): void }> = { govuk: govukLayout, nhsuk: nhsLayout, usa: usaLayout };

/** The page contents, in the system's own class names (`p`: govuk, nhsuk, usa). */
function contents(p: WholeSiteSystem) {
  const h1 = (t: string) => `<h1 class="${p}-heading-xl">${t}</h1>`;
  const body = (t: string) => `<p class="${p}-body">${t}</p>`;
  const list = (items: [string, string][]) => `<ul class="${p}-list listing">${items.map(([h, t]) => `<li class="listing-item"><a class="${p}-link" href="${h}">${t}</a></li>`).join('')}</ul>`;
  const pager = (base: string, page: number, pages: number) => `<nav class="pager" aria-label="Pages"><ul class="pager-list">${Array.from({ length: pages }, (_, i) => i + 1)
    .map((n) => `<li class="pager-item">${n === page ? `<span aria-current="page">${n}</span>` : `<a class="${p}-link" href="${n === 1 ? base : `${base}page-${n}/`}">${n}</a>`}</li>`).join('')}</ul></nav>`;
  return {
    home: (sections: [string, string][]) => `${h1('Welcome')}${body('What we do, and how to reach us.')}<div class="home-cards">${sections.map(([h, t]) => `<div class="home-card"><h2 class="${p}-heading-m"><a class="${p}-link" href="${h}">${t}</a></h2></div>`).join('')}</div>`,
    index: (title: string, base: string, items: [string, string][], page: number, pages: number) => `${h1(title)}${list(items)}${pages > 1 ? pager(base, page, pages) : ''}`,
    news: (title: string, n: number, related: [string, string][], failure: boolean) => `<article class="news-article"><header class="news-header">${h1(title)}<p class="news-date">${1 + (n % 28)} November 2026</p></header>
<div class="news-body">${body(`${title}: what happened and what it means for residents.`)}${body('More details follow in the coming weeks.')}
${failure ? `<p><a class="${p}-link" href="/news/"><img src="/assets/none.png" alt=""></a></p>` : ''}</div>
<aside class="news-related"><h2 class="${p}-heading-s">Related</h2>${list(related)}</aside></article>`,
    service: (title: string) => `<div class="service">${h1(title)}${body('Apply online: it takes about 10 minutes.')}
<form class="service-form" action="/services/" method="post"><div class="${p}-form-group"><label class="${p}-label" for="name">Full name</label><input class="${p}-input" id="name" name="name" autocomplete="name"></div>
<div class="${p}-form-group"><label class="${p}-label" for="email">Email address</label><input class="${p}-input" id="email" name="email" type="email" autocomplete="email"></div>
<button class="${p}-button" type="submit">Continue</button></form></div>`,
    guidance: (title: string) => `<div class="guidance">${h1(title)}${body('This guidance explains the rules.')}
<table class="${p}-table"><caption class="${p}-table__caption">${title}: figures</caption><thead><tr><th scope="col">Year</th><th scope="col">Value</th></tr></thead>
<tbody><tr><td>2025</td><td>1,020</td></tr><tr><td>2026</td><td>1,035</td></tr></tbody></table>${body('Contact us if anything is unclear.')}</div>`,
    event: (title: string) => `<div class="event">${h1(title)}<dl class="event-facts"><dt>When</dt><dd>12 December 2026, 10:00</dd><dt>Where</dt><dd>Town hall, room 2</dd></dl>${body('Everyone is welcome.')}</div>`,
    consultation: (title: string, failure: 'critical' | 'serious') => `<div class="consultation">${h1(title)}<ol class="consultation-timeline"><li class="step">Opened 1 November</li><li class="step">Closes 1 January</li></ol>
<div class="consultation-vote">${failure === 'critical'
      ? '<div role="button" tabindex="0" aria-checked="true" class="vote-toggle">I agree</div>'
      : '<p class="vote-note" style="color:#aaaaaa;background:#ffffff">Votes are counted every evening.</p>'}</div>${body('Tell us what you think.')}</div>`,
    fixed: (title: string, text: string) => `<div class="info-page">${h1(title)}${body(text)}</div>`,
  };
}

/** Builds the site in a new folder: every page an index.html under its path. */
export function buildWholeSite(spec: WholeSiteSpec): WholeSite {
  const out = mkdtempSync(join(tmpdir(), `eindex-whole-${spec.name}-`));
  const { layout, assets } = LAYOUTS[spec.system]();
  const c = contents(spec.system);
  const paths: string[] = [];
  const write = (path: string, title: string, content: string) => {
    const dir = join(out, path);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), layout(title, content));
    paths.push(path);
  };
  const section = (base: string, title: string, n: number, page: (i: number, href: string, t: string) => string, itemTitle: string) => {
    const items = Array.from({ length: n }, (_, i) => [`${base}${i + 1}/`, `${itemTitle} ${i + 1}`] as [string, string]);
    const per = 20;
    const pages = Math.max(1, Math.ceil(n / per));
    for (let pg = 1; pg <= pages; pg++) write(pg === 1 ? base : `${base}page-${pg}/`, pg === 1 ? title : `${title}, page ${pg}`, c.index(title, base, items.slice((pg - 1) * per, pg * per), pg, pages));
    items.forEach(([href, t], i) => write(href, t, page(i, href, t)));
  };
  const sections: [string, string][] = [['/news/', 'News'], ['/services/', 'Services'], ['/guidance/', 'Guidance'], ['/events/', 'Events'], ['/about/', 'About us']];
  write('/', 'Home', c.home(sections));
  section('/news/', 'News', spec.news, (i, _h, t) => c.news(t, i, [[`/news/${((i + 1) % spec.news) + 1}/`, 'Next story']], !!spec.newsFailure), 'News story');
  section('/services/', 'Services', spec.services, (_i, _h, t) => c.service(t), 'Service');
  section('/guidance/', 'Guidance', spec.guidance, (_i, _h, t) => c.guidance(t), 'Guidance');
  section('/events/', 'Events', spec.events, (_i, _h, t) => c.event(t), 'Event');
  // The rare template: consultations, linked from one page of the "About us" section only.
  write('/about/', 'About us', c.index('About us', '/about/', [['/about/consultations/', 'Consultations'], ['/contact/', 'Contact']], 1, 1));
  section('/about/consultations/', 'Consultations', spec.rare, (_i, _h, t) => c.consultation(t, spec.rareFailure), 'Consultation');
  write('/contact/', 'Contact', c.fixed('Contact', 'Call 0300 000 0000, Monday to Friday.'));
  write('/privacy/', 'Privacy notice', c.fixed('Privacy notice', 'How we use your personal data.'));
  write('/cookies/', 'Cookies', c.fixed('Cookies', 'The cookies we set and why.'));
  write('/help/', 'Help', c.fixed('Help', 'Help using this website.'));
  write('/sitemap/', 'Sitemap', c.index('Sitemap', '/sitemap/', sections, 1, 1));
  write('/accessibility-statement/', 'Accessibility statement', c.fixed('Accessibility statement',
    'This website is run by the Example Agency. It is partially compliant with WCAG 2.1 AA and EN 301 549, as Directive (EU) 2016/2102 requires.'));
  if (spec.sitemap) {
    writeFileSync(join(out, 'sitemap.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${paths.map((p) => `<url><loc>{{ORIGIN}}${p}</loc></url>`).join('\n')}\n</urlset>\n`);
  }
  assets(out);
  return { dir: out, paths, rarePaths: paths.filter((p) => p.startsWith('/about/consultations/') && p !== '/about/consultations/') };
}
