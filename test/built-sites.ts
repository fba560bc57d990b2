// Sites built at test time, served on loopback: a page of example iframes (lazy and eager, one that
// resizes itself in a loop), a bilingual site made of the Government of Canada's web components
// (@gcds-core/components, from npm) behind a meta-refresh root, and a Latvian municipality's site of a
// few dozen pages in several templates. Generated, never committed.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BuiltSite { url: string; paths: string[]; close(): Promise<void> }

/** Serves the pages (path → HTML) and, under /assets/, the files given. */
export function serveSite(pages: Map<string, string>, assets: Map<string, string> = new Map()): Promise<BuiltSite> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // /slow answers after 3 s: a page that loads it is still settling meanwhile.
    if (path === '/slow') return void setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('late'), 3000);
    const html = pages.get(path) ?? pages.get(path.endsWith('/') ? path : `${path}/`);
    if (html !== undefined) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    const file = assets.get(path);
    if (file) {
      const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      return void res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><title>Not found</title><h1>Not found</h1></html>');
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    paths: [...pages.keys()],
    close: () => new Promise<void>((done) => server.close(() => done())),
  })));
}

const head = (title: string, lang = 'en', extra = '') => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${extra}</head>`;

/** Ten example iframes, nine of them lazy and far down the page, and one frame that resizes itself for ever. */
export function framesPages(): Map<string, string> {
  const pages = new Map<string, string>();
  pages.set('/example.html', `${head('Example')}<body><main><h1>Example</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<button></button><p style="color:#bbb;background:#fff">Low-contrast example text</p></main></body></html>`);
  pages.set('/resizing.html', `${head('Resizing')}<body><main><h1>Resizing</h1><div id="d" style="height:10px">grows</div></main>
<script>let h = 10; setInterval(() => { h = (h + 7) % 400; d.style.height = h + 'px'; parent.postMessage({ h }, '*'); }, 16);</script></body></html>`);
  const frames = Array.from({ length: 10 }, (_, i) => `<h2>Example ${i + 1}</h2><div style="height:900px"></div>
<iframe title="Example ${i + 1}" src="/example.html?n=${i + 1}"${i > 0 ? ' loading="lazy"' : ''} width="380" height="240"></iframe>`).join('\n');
  pages.set('/', `${head('Component documentation')}<body><main><h1>Component documentation</h1>${frames}
<iframe title="Resizing example" src="/resizing.html" loading="lazy"></iframe></main>
<script>addEventListener('message', (e) => { for (const f of document.querySelectorAll('iframe')) if (f.contentWindow === e.source) f.style.height = (e.data.h + 20) + 'px'; });</script>
</body></html>`);
  return pages;
}

const require = createRequire(import.meta.url);

/**
 * A bilingual EN/FR site built from @gcds-core/components: its navigation (gcds-top-nav, gcds-nav-link),
 * language toggle (gcds-header lang-href) and footer (gcds-footer, links only in its shadow root) are web
 * components. The root is a meta refresh to /en/; the statement is linked only as "Accessibility".
 */
export function gcdsSite(): { pages: Map<string, string>; assets: Map<string, string> } {
  const dist = join(dirname(require.resolve('@gcds-core/components/package.json')), 'dist', 'gcds');
  const assets = new Map([['/assets/gcds.css', join(dist, 'gcds.css')]]);
  for (const f of require('node:fs').readdirSync(dist) as string[]) if (f.endsWith('.js')) assets.set(`/assets/${f}`, join(dist, f));
  const pages = new Map<string, string>();
  pages.set('/', `${head('Example Agency', 'en', '<meta http-equiv="refresh" content="0; url=/en/">')}<body><p><a href="/en/">English</a> · <a href="/fr/">Français</a></p></body></html>`);
  const words = {
    en: { agency: 'Example Agency', services: 'Services', news: 'News', contact: 'Contact us', statement: 'Accessibility', statementTitle: 'Accessibility statement for the Example Agency', other: 'fr', service: 'Service', item: 'News item' },
    fr: { agency: 'Agence exemple', services: 'Services', news: 'Nouvelles', contact: 'Nous joindre', statement: 'Accessibilité', statementTitle: "Déclaration d'accessibilité de l'Agence exemple", other: 'en', service: 'Service', item: 'Nouvelle' },
  } as const;
  for (const lang of ['en', 'fr'] as const) {
    const w = words[lang];
    const layout = (path: string, title: string, main: string) => `${head(`${title} - ${w.agency}`, lang, '<link rel="stylesheet" href="/assets/gcds.css"><script type="module" src="/assets/gcds.esm.js"></script>')}
<body><gcds-header lang-href="/${w.other}${path.slice(3)}" skip-to-href="#main"></gcds-header>
<gcds-top-nav label="${w.agency}" alignment="right" lang="${lang}"><gcds-nav-link href="/${lang}/" slot="home">${w.agency}</gcds-nav-link>
<gcds-nav-link href="/${lang}/services/">${w.services}</gcds-nav-link><gcds-nav-link href="/${lang}/news/">${w.news}</gcds-nav-link></gcds-top-nav>
<gcds-container id="main" main-container size="xl" centered tag="main"><gcds-heading tag="h1">${title}</gcds-heading>${main}</gcds-container>
<gcds-footer display="full" lang="${lang}" contextual-heading="${w.agency}" contextual-links='${JSON.stringify({ [w.contact]: `/${lang}/contact/`, [w.statement]: `/${lang}/accessibility/` })}'></gcds-footer>
</body></html>`;
    const list = (base: string, label: string, n: number) => `<ul class="list">${Array.from({ length: n }, (_, i) => `<li><gcds-link href="/${lang}/${base}/${i + 1}/">${label} ${i + 1}</gcds-link></li>`).join('')}</ul>`;
    pages.set(`/${lang}/`, layout(`/${lang}/`, w.agency, `<gcds-text>Welcome.</gcds-text><gcds-grid columns="1fr 1fr"><gcds-card card-title="${w.services}" href="/${lang}/services/"></gcds-card><gcds-card card-title="${w.news}" href="/${lang}/news/"></gcds-card></gcds-grid>`));
    pages.set(`/${lang}/services/`, layout(`/${lang}/services/`, w.services, list('services', w.service, 8)));
    pages.set(`/${lang}/news/`, layout(`/${lang}/news/`, w.news, list('news', w.item, 8)));
    for (let i = 1; i <= 8; i++) {
      pages.set(`/${lang}/services/${i}/`, layout(`/${lang}/services/${i}/`, `${w.service} ${i}`, `<gcds-text>About ${w.service} ${i}.</gcds-text><gcds-details details-title="More">Details.</gcds-details>`));
      pages.set(`/${lang}/news/${i}/`, layout(`/${lang}/news/${i}/`, `${w.item} ${i}`, `<gcds-date-modified>2026-11-0${(i % 9) + 1}</gcds-date-modified><gcds-text>Story ${i}.</gcds-text>`));
    }
    pages.set(`/${lang}/contact/`, layout(`/${lang}/contact/`, w.contact, '<gcds-text>Call 1-800-000-0000.</gcds-text>'));
    pages.set(`/${lang}/accessibility/`, layout(`/${lang}/accessibility/`, w.statementTitle, '<gcds-text>We aim to meet WCAG 2.1 AA and EN 301 549.</gcds-text>'));
  }
  return { pages, assets };
}

/**
 * A Latvian municipality of 40 pages in five templates: the home page, section indexes, articles (the
 * common pages too), service pages with an application form, statistics with a data table; an English
 * version linked with hreflang; the statement linked only as "Piekļūstamība".
 */
export function municipalitySite(): Map<string, string> {
  const pages = new Map<string, string>();
  const nav = `<header class="site-header"><a class="logo" href="/">Ezerkrastu novads</a><nav class="main-nav" aria-label="Galvenā"><ul>
<li><a href="/pakalpojumi/">Pakalpojumi</a></li><li><a href="/jaunumi/">Jaunumi</a></li><li><a href="/par-novadu/">Par novadu</a></li><li><a href="/statistika/">Statistika</a></li>
<li><a href="/en/" hreflang="en" lang="en">English</a></li></ul></nav></header>`;
  const footer = `<footer class="site-footer"><ul class="footer-links"><li><a href="/kontakti/">Kontakti</a></li><li><a href="/privatuma-politika/">Privātuma politika</a></li>
<li><a href="/pieklustamiba/">Piekļūstamība</a></li><li><a href="/vietnes-karte/">Vietnes karte</a></li></ul></footer>`;
  const style = '<style>a { display: inline-block; min-height: 24px; padding: 6px 0; } li { margin: 4px 0; }</style>';
  const page = (title: string, main: string, lang = 'lv') => `${head(`${title} | Ezerkrastu novads`, lang, `${style}${lang === 'lv' ? '<link rel="alternate" hreflang="en" href="/en/">' : ''}`)}<body>${nav}<main id="saturs">${main}</main>${footer}</body></html>`;
  const article = (title: string, body: string) => page(title, `<article class="article"><header class="article-header"><h1>${title}</h1><p class="article-date">2026-11-20</p></header>
<div class="article-body"><p>${body}</p><h2>Vairāk</h2><p>Sīkāka informācija pieejama klientu apkalpošanas centrā.</p></div><aside class="related"><h2>Saistītie</h2><ul><li><a href="/jaunumi/">Jaunumi</a></li></ul></aside></article>`);
  const index = (title: string, items: [string, string][]) => page(title, `<h1>${title}</h1><ul class="card-list">${items.map(([href, t]) => `<li class="card"><a class="card-link" href="${href}">${t}</a><p class="card-summary">${t}: īss apraksts.</p></li>`).join('')}</ul>`);
  const services = Array.from({ length: 8 }, (_, i) => [`/pakalpojumi/${i + 1}/`, `Pakalpojums ${i + 1}`] as [string, string]);
  const news = Array.from({ length: 12 }, (_, i) => [`/jaunumi/${i + 1}/`, `Jaunums ${i + 1}`] as [string, string]);
  const about = Array.from({ length: 5 }, (_, i) => [`/par-novadu/${i + 1}/`, `Par novadu ${i + 1}`] as [string, string]);
  pages.set('/', page('Sākums', `<section class="hero"><h1>Ezerkrastu novads</h1><p class="lead">Novada pašvaldības tīmekļvietne.</p></section>
<section class="home-news"><h2>Jaunumi</h2><div class="news-grid">${news.slice(0, 3).map(([h, t]) => `<article class="teaser"><h3><a href="${h}">${t}</a></h3></article>`).join('')}</div></section>
<section class="home-services"><h2>Pakalpojumi</h2><div class="tiles">${services.slice(0, 4).map(([h, t]) => `<a class="tile" href="${h}">${t}</a>`).join('')}</div></section>`));
  pages.set('/pakalpojumi/', index('Pakalpojumi', services));
  pages.set('/jaunumi/', index('Jaunumi', news));
  pages.set('/par-novadu/', index('Par novadu', about));
  pages.set('/statistika/', index('Statistika', [['/statistika/iedzivotaji/', 'Iedzīvotāji'], ['/statistika/budzets/', 'Budžets']]));
  for (const [i, [href, t]] of services.entries()) {
    // Two of the services take applications online: a form; the rest are described.
    pages.set(href, i < 2 ? page(t, `<div class="service"><h1>${t}</h1><p class="service-intro">Pieteikties tiešsaistē.</p><form class="application" action="/pieteikums/" method="post">
<fieldset class="form-group"><legend>Pieteicējs</legend><label for="n">Vārds, uzvārds</label><input id="n" name="n" autocomplete="name">
<label for="e">E-pasts</label><input id="e" name="e" type="email" autocomplete="email"><label for="m">Ziņa</label><textarea id="m" name="m"></textarea></fieldset>
<button class="button" type="submit">Iesniegt</button></form></div>`) : article(t, `${t}: kā saņemt pakalpojumu.`));
  }
  for (const [href, t] of [...news, ...about]) pages.set(href, article(t, `${t}: teksts.`));
  for (const [href, t] of [['/statistika/iedzivotaji/', 'Iedzīvotāji'], ['/statistika/budzets/', 'Budžets']]) {
    pages.set(href, page(t, `<div class="stats"><h1>${t}</h1><table class="data-table"><caption>${t} 2026</caption><thead><tr><th scope="col">Gads</th><th scope="col">Vērtība</th></tr></thead>
<tbody><tr><td>2025</td><td>10 200</td></tr><tr><td>2026</td><td>10 350</td></tr></tbody></table></div>`));
  }
  pages.set('/kontakti/', article('Kontakti', 'Tālrunis 60000000, e-pasts dome@example.lv.'));
  pages.set('/privatuma-politika/', article('Privātuma politika', 'Kā apstrādājam personas datus.'));
  pages.set('/vietnes-karte/', article('Vietnes karte', 'Visas sadaļas.'));
  pages.set('/pieklustamiba/', article('Piekļūstamības paziņojums', 'Ezerkrastu novada pašvaldība apņemas nodrošināt tīmekļvietnes piekļūstamību saskaņā ar Direktīvu (ES) 2016/2102.'));
  pages.set('/en/', page('Home', `<section class="hero"><h1>Ezerkrasti municipality</h1><p class="lead">The municipality's website in English.</p></section>
<section class="home-news"><h2>News</h2><div class="news-grid"><article class="teaser"><h3><a href="/en/news/">News</a></h3></article></div></section>`, 'en'));
  pages.set('/en/news/', page('News', '<article class="article"><header class="article-header"><h1>News</h1></header><div class="article-body"><p>News in English.</p></div></article>', 'en'));
  return pages;
}
