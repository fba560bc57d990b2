// The pure rules of the sample: page shapes read from HTML, common pages and statements recognised by
// their links and contents, templates told apart, the plan after WCAG-EM with its seeded random part.
import { describe, expect, it } from 'vitest';
import { isStatementCandidate, isStatementLink, isStatementPage } from '../../src/checks/statement.js';
import { commonPageKind } from '../../src/crawl/common-pages.js';
import { readPageShape, templateSimilarity } from '../../src/crawl/page-shape.js';
import { assignTemplates, planSample, seededRandom, type ExploredPage } from '../../src/crawl/sample-plan.js';
import { metaRefreshTarget } from '../../src/crawl/url.js';
import { DEFAULT_METHODOLOGY } from '../../src/grading/methodology.js';
import { municipalitySite } from '../built-sites.js';

const BASE = 'https://novads.lv/';

describe('a page read from its HTML', () => {
  it('links of every kind: anchors, custom elements with href, hreflang alternates; text and alt', () => {
    const s = readPageShape(`<html lang="LV"><head><title> Sākums </title><link rel="alternate" hreflang="en" href="/en/"></head>
<body><main><h1>Novads</h1><a href="/a">A <b>link</b></a><gcds-nav-link href="/b">Web component</gcds-nav-link>
<a href="/c"><img alt="Logo"></a><a href="/d" aria-label="Named">x</a><script>var a = '<a href="/nope">';</script>
<svg><a href="/svg-link"></a></svg></main></body></html>`, BASE);
    expect(s.lang).toBe('lv');
    expect(s.title).toBe('Sākums');
    expect(s.h1).toBe('Novads');
    expect(s.links).toEqual([
      { href: 'https://novads.lv/en/', text: '', hreflang: 'en' },
      { href: 'https://novads.lv/a', text: 'A link' },
      { href: 'https://novads.lv/b', text: 'Web component' },
      { href: 'https://novads.lv/c', text: 'Logo' },
      { href: 'https://novads.lv/d', text: 'Named' },
    ]);
  });

  it('what it holds: a form to fill in (not a lone search box), a data table, media', () => {
    const search = readPageShape('<form role="search"><input type="search" name="q"><button>Meklēt</button></form>', BASE);
    expect(search.features).toEqual({ form: false, table: false, media: false });
    const form = readPageShape('<form action="/x"><input name="a"><textarea name="b"></textarea></form><table><tr><th>A</th></tr></table><iframe src="https://www.youtube.com/embed/x"></iframe>', BASE);
    expect(form.features).toEqual({ form: true, table: true, media: true });
    const layoutTable = readPageShape('<table><tr><td>layout</td></tr></table>', BASE);
    expect(layoutTable.features.table).toBe(false);
  });

  it('template structure: pages of one template are alike whatever their text, other templates are not', () => {
    const site = municipalitySite();
    const shape = (p: string) => readPageShape(site.get(p)!, new URL(p, BASE).href).structure;
    const [news1, news2, about, services, form] = ['/jaunumi/1/', '/jaunumi/7/', '/par-novadu/2/', '/pakalpojumi/', '/pakalpojumi/1/'].map(shape);
    expect(templateSimilarity(news1!, news2!)).toBe(1);
    expect(templateSimilarity(news1!, about!)).toBe(1);
    const threshold = DEFAULT_METHODOLOGY.sample.templateSimilarity;
    expect(templateSimilarity(news1!, services!)).toBeLessThan(threshold);
    expect(templateSimilarity(news1!, form!)).toBeLessThan(threshold);
  });
});

describe('a hostile page read from its HTML', () => {
  // Was quadratic in the depth of unclosed elements: 240 KB took 40 s, and one such page froze a worker.
  it('3 MB of unclosed elements reads at once, as far as 512 open elements, its links before that kept', () => {
    const html = `<html lang="lv"><body><a href="/first">First</a>${'<div class="x"><a href="/deep">d</a>'.repeat(3 * 1024 * 1024 / 36)}`;
    const shape = readPageShape(html, BASE);
    expect(shape.lang).toBe('lv');
    expect(shape.links[0]).toEqual({ href: 'https://novads.lv/first', text: 'First' });
    expect(shape.links.length).toBeGreaterThan(400);
    expect(shape.links.length).toBeLessThan(600);
  }, 15_000);
});

describe('common pages and the statement, by their links and what they say', () => {
  it('common pages in Latvian, English and other languages, by text or by the URL\'s last segment', () => {
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Kontakti' })).toBe('contact');
    expect(commonPageKind({ href: 'https://x.lv/en/contact-us', text: '' })).toBe('contact');
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Privātuma politika' })).toBe('privacy');
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Sīkdatnes' })).toBe('cookies');
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Vietnes karte' })).toBe('sitemap');
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Datenschutz' })).toBe('privacy');
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Επικοινωνία' })).toBe('contact');
    expect(commonPageKind({ href: 'https://x.lv/news/farmers-help', text: 'Jaunums' })).toBeNull();
    expect(commonPageKind({ href: 'https://x.lv/a', text: 'Ministru kabineta noteikumi par zivsaimniecību' })).toBeNull();
  });

  it('a statement linked by a word only is a candidate, confirmed by its title, heading or text', () => {
    for (const text of ['Piekļūstamība', 'Accessibility', 'Accessibilité', 'Barrierefreiheit', 'Toegankelijkheid']) {
      expect(isStatementCandidate({ href: 'https://x.lv/a', text }), text).toBe(true);
      expect(isStatementLink({ href: 'https://x.lv/a', text }), text).toBe(false);
    }
    expect(isStatementCandidate({ href: 'https://x.lv/pieklustamiba', text: '' })).toBe(true);
    expect(isStatementCandidate({ href: 'https://x.lv/kontakti', text: 'Kontakti' })).toBe(false);
    expect(isStatementPage({ title: 'Accessibility statement for the Example Agency', h1: '', text: '' })).toBe(true);
    expect(isStatementPage({ title: 'Piekļūstamība', h1: 'Piekļūstamības paziņojums', text: '' })).toBe(true);
    expect(isStatementPage({ title: "Déclaration d'accessibilité", h1: '', text: '' })).toBe(true);
    expect(isStatementPage({ title: 'Piekļūstamība', h1: 'Piekļūstamība', text: 'Saskaņā ar Direktīvu (ES) 2016/2102 …' })).toBe(true);
    // Not a statement: the W3C demo's "Inaccessible Home Page" citing WCAG (it was found as one), a page
    // about accessibility tools.
    expect(isStatementCandidate({ href: 'https://x.lv/before/home.html', text: 'Inaccessible version' })).toBe(false);
    expect(isStatementPage({ title: 'Welcome to CityLights! [Inaccessible Home Page]', h1: '', text: 'An example of WCAG failures.' })).toBe(false);
    expect(isStatementPage({ title: 'Accessibility', h1: 'Accessibility', text: 'We follow WCAG 2.1.' })).toBe(false);
    // A page about accessibility that is no statement: a news item, an accessibility toolbar's help.
    expect(isStatementPage({ title: 'Accessibility tools', h1: 'Accessibility tools', text: 'Make the text larger.' })).toBe(false);
  });

  it('a meta refresh is a redirect when immediate, or on the start page; not a reload', () => {
    expect(metaRefreshTarget('0; url=/en/', 'https://x.lv/', false)).toBe('https://x.lv/en/');
    expect(metaRefreshTarget("0;URL='https://y.lv/'", 'https://x.lv/', false)).toBe('https://y.lv/');
    expect(metaRefreshTarget('5; url=/en/', 'https://x.lv/a', false)).toBeNull();
    expect(metaRefreshTarget('5; url=/en/', 'https://x.lv/', true)).toBe('https://x.lv/en/');
    expect(metaRefreshTarget('30', 'https://x.lv/', true)).toBeNull();
    expect(metaRefreshTarget('0; url=javascript:alert(1)', 'https://x.lv/', true)).toBeNull();
    expect(metaRefreshTarget('0; url=/#top', 'https://x.lv/', true)).toBeNull();
  });
});

describe('the plan', () => {
  const site = municipalitySite();
  const explored: ExploredPage[] = [...site.keys()].map((p, i) => {
    const url = new URL(p, BASE).href;
    const shape = readPageShape(site.get(p)!, url);
    return { url, source: 'link', order: i, depth: p === '/' ? 0 : p.split('/').filter(Boolean).length, via: [], shape };
  });
  // What links name each page, as the explorer records them.
  for (const page of explored) {
    for (const link of page.shape!.links) {
      const target = explored.find((e) => e.url === link.href);
      if (target && target.via.length < 5) target.via.push(link);
    }
  }
  const method = DEFAULT_METHODOLOGY.sample;
  const plan = (seed: number, size: number | 'auto' = 10) => planSample({ taken: [{ url: BASE, reason: "home" }], explored, size, seed, statementUrl: `${BASE}pieklustamiba/`, method }).pages;

  it('the structured part first, one page a template, then a quarter at random (the automatic size)', () => {
    const picks = plan(1, 'auto');
    expect(picks.length).toBeGreaterThanOrEqual(9);
    expect(picks.filter((p) => p.reason === 'random').length).toBeGreaterThanOrEqual(Math.ceil((picks.length + 1) * method.randomShare) - 1);
    const reasons = picks.map((p) => p.reason);
    expect(reasons.slice(0, 4)).toEqual(['statement', 'contact', 'privacy', 'sitemap']);
    expect(reasons).toEqual(expect.arrayContaining(['language', 'form', 'table', 'template', 'random']));
    const templates = assignTemplates(explored, method.templateSimilarity);
    const all = new Set(templates.values());
    const covered = new Set([1, ...picks.map((p) => p.template)]);
    for (const t of all) expect(covered.has(t), `template ${t}`).toBe(true);
  });

  it('the same seed, the same sample; another seed changes only the random part', () => {
    expect(plan(7)).toEqual(plan(7));
    const structured = (seed: number) => plan(seed, 20).filter((p) => p.reason !== 'random').map((p) => p.url);
    expect(structured(1)).toEqual(structured(2));
    const random = (seed: number) => plan(seed, 20).filter((p) => p.reason === 'random').map((p) => p.url).sort();
    expect(new Set([1, 2, 3, 4, 5].map((s) => random(s).join()))).not.toHaveProperty('size', 1);
  });

  it('a larger sample: the random part grows to a tenth at least; never a page twice', () => {
    const picks = plan(5, 30);
    expect(picks.filter((p) => p.reason === 'random').length).toBeGreaterThanOrEqual(3);
    expect(new Set(picks.map((p) => p.url)).size).toBe(picks.length);
    expect(picks.some((p) => p.url === BASE)).toBe(false);
  });

  it('a fixed size keeps its random part: a quarter of 10 pages', () => {
    const picks = plan(1, 10);
    expect(picks).toHaveLength(9);
    expect(picks.filter((p) => p.reason === 'random')).toHaveLength(3);
  });

  it('a seed keeps meaning the same draw across releases (pinned values), spread evenly', () => {
    const r = seededRandom(42);
    expect([r(), r(), r()].map((x) => x.toFixed(6))).toEqual(['0.601104', '0.448291', '0.852466']);
    const buckets = new Array(10).fill(0);
    const s = seededRandom(1);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(s() * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});

describe('a site of many pages: the sample follows its shape', () => {
  // 200 news articles, 60 services, 12 consultations (3 %) and the home page: three templates but the home's.
  const shape = (cls: string, form = false) => ({
    lang: 'en', title: cls, h1: cls, canonical: null, links: [], structure: [`main>div.${cls}`, `div.${cls}>h1`, `div.${cls}>p.${cls}-body`, `div.${cls}>ul.${cls}-list`],
    features: { form, table: false, media: false },
  });
  const BASE2 = 'https://ministry.example/';
  const page = (path: string, cls: string, order: number, form = false): ExploredPage =>
    ({ url: new URL(path, BASE2).href, source: 'link', order, depth: 2, via: [], shape: shape(cls, form) as ExploredPage['shape'] });
  const explored: ExploredPage[] = [
    page('/', 'home', 0),
    ...Array.from({ length: 200 }, (_, i) => page(`/news/${i}/`, 'news', 1 + i)),
    ...Array.from({ length: 60 }, (_, i) => page(`/services/${i}/`, 'service', 300 + i, true)),
    ...Array.from({ length: 12 }, (_, i) => page(`/about/consultations/${i}/`, 'consultation', 400 + i)),
  ];
  const method = DEFAULT_METHODOLOGY.sample;
  const plan = (seed: number, size: number | 'auto' = 'auto') => planSample({ taken: [{ url: BASE2, reason: 'home' }], explored, size, seed, statementUrl: null, method });

  it('every template, the rare one too, whatever the seed; the automatic size within its bounds', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { pages, size } = plan(seed);
      expect(size).toBeGreaterThanOrEqual(method.size.min);
      expect(size).toBeLessThanOrEqual(method.size.max);
      expect(pages.length + 1).toBe(size);
      expect(pages.some((p) => p.url.includes('/consultations/')), `seed ${seed}`).toBe(true);
    }
  });

  it('the random part goes to each template by its share: the news section (73 % of pages) gets most of it', () => {
    const { pages } = plan(3, 20);
    const random = pages.filter((p) => p.reason === 'random');
    const news = random.filter((p) => p.url.includes('/news/')).length;
    expect(random.length).toBeGreaterThanOrEqual(5);
    expect(news / random.length).toBeGreaterThan(0.5);
    expect(random.filter((p) => p.url.includes('/consultations/')).length).toBe(0);
  });

  it('a census takes every page explored, in the order found; broken links never', () => {
    const withBroken = [...explored, { ...page('/gone/', 'news', 500), shape: null, broken: true }];
    const census = planSample({ taken: [{ url: BASE2, reason: 'home' }], explored: withBroken, size: 'census', seed: 1, statementUrl: null, method });
    expect(census.pages).toHaveLength(explored.length - 1);
    expect(census.size).toBe(explored.length);
    expect(census.pages.every((p) => p.reason === 'census')).toBe(true);
    expect(census.pages.some((p) => p.url.endsWith('/gone/'))).toBe(false);
  });
});
