import { describe, expect, it } from 'vitest';
import { isAllowed, matchesPattern, parseRobots, ALLOW_ALL } from '../../src/crawl/robots.js';
import { parseSitemap } from '../../src/crawl/sitemap.js';
import { SiteSampler } from '../../src/crawl/sampler.js';
import { classifyLink, pageKey, parseStartUrl, sameSite } from '../../src/crawl/url.js';
import { UserError } from '../../src/util/errors.js';

describe('robots.txt', () => {
  it('uses our own group over *, longest match wins, allow wins ties', () => {
    const r = parseRobots(`User-agent: *\nDisallow: /\n\nUser-agent: eindex\nDisallow: /private/\nAllow: /private/open\n`, 'eindex');
    expect(isAllowed(r, 'https://x.lv/')).toBe(true);
    expect(isAllowed(r, 'https://x.lv/private/a')).toBe(false);
    expect(isAllowed(r, 'https://x.lv/private/open/a')).toBe(true);
  });
  it('falls back to the * group and honours wildcards and $', () => {
    const r = parseRobots(`User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /*.pdf$\nDisallow: /search?*q=\n`, 'eindex');
    expect(isAllowed(r, 'https://x.lv/doc.pdf')).toBe(false);
    expect(isAllowed(r, 'https://x.lv/doc.pdf?x=1')).toBe(true);
    expect(isAllowed(r, 'https://x.lv/search?lang=lv&q=1')).toBe(false);
    expect(isAllowed(r, 'https://x.lv/news')).toBe(true);
  });
  it('merges groups that share an agent line and reads Crawl-delay and Sitemap', () => {
    const r = parseRobots(`User-agent: a\nUser-agent: *\nCrawl-delay: 2\nDisallow: /x\nSitemap: https://x.lv/s.xml\n`, 'eindex');
    expect(isAllowed(r, 'https://x.lv/x/1')).toBe(false);
    expect(r.crawlDelaySeconds).toBe(2);
    expect(r.sitemaps).toEqual(['https://x.lv/s.xml']);
  });
  it('still honours a Disallow in a malformed file (no colon, typos, BOM, CR line ends, junk)', () => {
    const r = parseRobots(`\uFEFF<html>junk</html>\rUSER-AGENT *\rdisalow: /secret\rDisallow /hidden # note\r`, 'eindex');
    expect(isAllowed(r, 'https://x.lv/secret/a')).toBe(false);
    expect(isAllowed(r, 'https://x.lv/hidden')).toBe(false);
    expect(isAllowed(r, 'https://x.lv/open')).toBe(true);
  });
  it('applies a group only when it names our product token exactly (RFC 9309): not a substring, not an empty agent', () => {
    for (const other of ['index', 'e', 'eind', '', 'eindexbot', 'my-eindex']) {
      const r = parseRobots(`User-agent: ${other}\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n`, 'eindex');
      expect(isAllowed(r, 'https://x.lv/news'), JSON.stringify(other)).toBe(true);
      expect(isAllowed(r, 'https://x.lv/private'), JSON.stringify(other)).toBe(false);
    }
    for (const ours of ['eindex', 'EIndex', 'eindex/2.0', 'eindex (+https://e.lv)']) {
      expect(isAllowed(parseRobots(`User-agent: ${ours}\nDisallow: /\n\nUser-agent: *\nAllow: /\n`, 'eindex'), 'https://x.lv/a'), ours).toBe(false);
    }
  });
  it('merges every group naming us, and the most specific rule wins whatever the order (RFC 9309 §2.2.2)', () => {
    const r = parseRobots('User-agent: eindex\nAllow: /p\n\nUser-agent: googlebot\nDisallow: /\n\nUser-agent: eindex\nDisallow: /\nDisallow: /p/x\n', 'eindex');
    expect(isAllowed(r, 'https://x.lv/a')).toBe(false);
    expect(isAllowed(r, 'https://x.lv/page')).toBe(true);
    expect(isAllowed(r, 'https://x.lv/p/x1')).toBe(false);
    // The RFC's examples: allow wins an equivalent rule; /robots.txt is always allowed.
    expect(isAllowed(parseRobots('User-agent: *\nAllow: /folder\nDisallow: /folder\n', 'eindex'), 'https://x.lv/folder/page')).toBe(true);
    expect(isAllowed(parseRobots('User-agent: *\nDisallow: /\n', 'eindex'), 'https://x.lv/robots.txt')).toBe(true);
    expect(isAllowed(parseRobots('User-agent: *\nAllow: /page\nDisallow: /*.html\n', 'eindex'), 'https://x.lv/page.html')).toBe(false);
    expect(isAllowed(parseRobots('User-agent: *\nDisallow: /*.php$\nAllow: /$\nDisallow: /\n', 'eindex'), 'https://x.lv/')).toBe(true);
  });
  it('matches wildcards in linear time: a line of many *s against a long path is immediate', () => {
    const r = parseRobots(`User-agent: *\nDisallow: /${'*a'.repeat(2000)}*b$\nDisallow: /${'*'.repeat(50_000)}x\n`, 'eindex');
    const path = `https://x.lv/${'a'.repeat(5000)}`;
    const t0 = performance.now();
    expect(isAllowed(r, path)).toBe(true);
    // A complexity guard, not a speed target: milliseconds alone, where a backtracking matcher takes hours.
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(matchesPattern('/a*b*c$', '/axxbyyc')).toBe(true);
    expect(matchesPattern('/a*b*c$', '/axxbyycd')).toBe(false);
    expect(matchesPattern('/a*c$', '/ac')).toBe(true);
    expect(matchesPattern('/ab*b$', '/ab')).toBe(false);
    expect(matchesPattern('/*/x', '/a/b/x/y')).toBe(true);
  });
  it('an empty Disallow allows everything', () => {
    expect(isAllowed(parseRobots('User-agent: *\nDisallow:\n', 'eindex'), 'https://x.lv/a')).toBe(true);
    expect(isAllowed(ALLOW_ALL, 'https://x.lv/a')).toBe(true);
  });
});

describe('URLs', () => {
  it('rejects what cannot be audited with a UserError', () => {
    expect(() => parseStartUrl('ftp://x.lv')).toThrow(UserError);
    expect(() => parseStartUrl('javascript:alert(1)')).toThrow(/scheme/);
    // A file path is a file, and the line says how to serve it (it read "tmp does not resolve").
    expect(() => parseStartUrl('/tmp/site/page.html')).toThrow('"/tmp/site/page.html" is a file, not a web address: eindex audits pages as a browser loads them from a server. Serve the folder first (python3 -m http.server 8080 -d /tmp/site) and audit http://localhost:8080/page.html');
    for (const f of ['./page.html', '../x/index.html', 'file:///tmp/a.html', '~/a.html']) expect(() => parseStartUrl(f), f).toThrow(/is a file, not a web address/);
    expect(parseStartUrl('x.lv/page.html').href).toBe('https://x.lv/page.html');
    expect(() => parseStartUrl('http://')).toThrow(UserError);
    expect(parseStartUrl('www.vm.gov.lv').href).toBe('https://www.vm.gov.lv/');
  });
  it('treats fragments, default ports, tracking parameters, trailing slashes, www and parameter order as the same page', () => {
    const k = pageKey('https://www.x.lv/a/?b=2&a=1&utm_source=x#top');
    expect(pageKey('http://x.lv:80/a?a=1&b=2')).toBe(k);
    expect(pageKey('https://x.lv:443/a?fbclid=1&a=1&b=2')).toBe(k);
    expect(pageKey('https://x.lv/a?a=1&b=3')).not.toBe(k);
    // A folder's index document is the folder: "/" and "/index.html" were audited as two pages.
    expect(pageKey('https://x.lv/index.html')).toBe(pageKey('https://x.lv/'));
    expect(pageKey('https://x.lv/en/index.htm')).toBe(pageKey('https://x.lv/en/'));
    expect(pageKey('https://x.lv/en/default.aspx?a=1')).toBe(pageKey('https://x.lv/en?a=1'));
    expect(pageKey('https://x.lv/en/index-of-laws.html')).not.toBe(pageKey('https://x.lv/en/'));
    expect(sameSite('https://www.x.lv/', 'http://x.lv/a')).toBe(true);
    expect(sameSite('https://x.lv/', 'https://y.lv/')).toBe(false);
  });
  it('lists documents and skips non-web links instead of loading them', () => {
    expect(classifyLink('/files/a.PDF', 'https://x.lv/')).toMatchObject({ kind: 'document', type: 'pdf' });
    expect(classifyLink('report.docx', 'https://x.lv/')).toMatchObject({ kind: 'document', type: 'office' });
    expect(classifyLink('/runs/2/report.html', 'https://x.lv/', true)).toMatchObject({ kind: 'document', type: 'download' }); // <a download>
    expect(classifyLink('/runs/2/report.html', 'https://x.lv/')).toMatchObject({ kind: 'page' });
    expect(classifyLink('lēmums.edoc', 'https://x.lv/')).toMatchObject({ kind: 'document', type: 'signed' });
    expect(classifyLink('/img/a.jpg', 'https://x.lv/')).toMatchObject({ kind: 'document', type: 'image' });
    for (const href of ['mailto:a@x.lv', 'tel:+371', 'javascript:void(0)', '#top', 'data:text/html,x']) {
      expect(classifyLink(href, 'https://x.lv/').kind).toBe('skip');
    }
    expect(classifyLink('/news?id=1#c', 'https://x.lv/').kind).toBe('page');
  });
});

describe('sitemaps', () => {
  it('reads urlset and index sitemaps, entities and CDATA', () => {
    const set = parseSitemap(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://x.lv/a?b=1&amp;c=2 </loc></url><url><loc><![CDATA[https://x.lv/b]]></loc></url></urlset>`);
    expect(set).toEqual({ kind: 'urlset', urls: ['https://x.lv/a?b=1&c=2', 'https://x.lv/b'] });
    const index = parseSitemap(`<sitemapindex><sitemap><loc>https://x.lv/s1.xml</loc></sitemap></sitemapindex>`);
    expect(index).toEqual({ kind: 'index', urls: ['https://x.lv/s1.xml'] });
  });
  it('takes only sitemap <loc>s: not image or video locations, not commented-out ones', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
        <!-- <url><loc>https://x.lv/old</loc></url> -->
        <url><loc>https://x.lv/a</loc><image:image><image:loc>https://x.lv/photo.jpg</image:loc></image:image>
          <video:video><video:content_loc>https://x.lv/v.mp4</video:content_loc><video:player_loc>https://x.lv/p</video:player_loc></video:video></url>
        <url><loc>https://x.lv/b</loc></url>
      </urlset>`;
    expect(parseSitemap(xml)).toEqual({ kind: 'urlset', urls: ['https://x.lv/a', 'https://x.lv/b'] });
    // A <loc> that is not where the sitemaps protocol puts it counts for nothing.
    expect(parseSitemap('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><loc>https://x.lv/stray</loc><url><x><loc>https://x.lv/deep</loc></x></url></urlset>').urls).toEqual([]);
    expect(parseSitemap('<feed xmlns="http://www.w3.org/2005/Atom"><url><loc>https://x.lv/a</loc></url></feed>')).toEqual({ kind: 'unknown', urls: [], error: 'not a sitemap (its root element is <feed>)' });
    // A soft 404: an HTML page answering for /sitemap.xml is named as such, not as a pile of XML errors.
    expect(parseSitemap('<!doctype html><html><body><p>Not found<br></body></html>').error).toBe('not a sitemap (its root element is <html>)');
  });
  it('a malformed sitemap is skipped with a reason, never an exception', () => {
    for (const bad of ['<urlset><url><loc>https://x.lv/&#x110000;</loc></url></urlset>', '<urlset><url><loc>https://x.lv/a</url></urlset>', '<urlset><url><loc>https://x.lv/&bogus;</loc></url></urlset>']) {
      const r = parseSitemap(bad);
      expect(r.urls, bad).toEqual([]);
      expect(r.error, bad).toMatch(/malformed XML \(line 1: /);
    }
    // Cut at the size cap: what was read before the cut is kept, and said.
    const cut = parseSitemap('<urlset><url><loc>https://x.lv/a</loc></url><url><loc>https://x.lv/', 100, { truncated: true });
    expect(cut.urls).toEqual(['https://x.lv/a']);
    expect(cut.error).toMatch(/cut at the size cap/);
  });
  it('parses any sitemap up to the size cap in linear time, hostile ones included', () => {
    const hostile = [
      `<urlset>${'<loc>'.repeat(2_000_000)}`, // 10 MB of unclosed <loc>s: quadratic for a regex
      `<urlset>${'<url><loc>https://x.lv/p</loc></url>'.repeat(20)}${' '.repeat(19_000_000)}</urlset>`,
      `<!-- ${'x'.repeat(19_000_000)}`,
    ];
    for (const xml of hostile) {
      const t0 = performance.now();
      parseSitemap(xml, 5000, { truncated: true });
      // A complexity guard, not a speed target (< 0.4 s each alone, 1.5 s beside another suite): the
      // quadratic regex this replaced took 30 s on a 3 MB sitemap, minutes on these.
      expect(performance.now() - t0, `${xml.slice(0, 30)}…`).toBeLessThan(10_000);
    }
  });
  it('stops at the limit however large the sitemap', () => {
    const big = `<urlset>${Array.from({ length: 50_000 }, (_, i) => `<url><loc>https://x.lv/p${i}</loc></url>`).join('')}</urlset>`;
    expect(parseSitemap(big, 100).urls).toHaveLength(100);
  });
  it('reads the plain-text form', () => {
    expect(parseSitemap('https://x.lv/a\nhttps://x.lv/b\n').urls).toEqual(['https://x.lv/a', 'https://x.lv/b']);
  });
});

describe('sampling', () => {
  const robots = parseRobots('User-agent: *\nDisallow: /private\n', 'eindex');
  it('takes the start page, the statement, linked pages spread over sections, then sitemap pages, up to the cap', () => {
    const s = new SiteSampler(new URL('https://x.lv/'), 6, robots);
    s.addGiven('https://x.lv/', 'start');
    expect(s.next()?.url).toBe('https://x.lv/');
    s.addSitemapUrls(['https://x.lv/archive/1']);
    s.addLinks(['https://x.lv/news/1', 'https://x.lv/news/2', 'https://x.lv/news/3', 'https://x.lv/contact', 'https://x.lv/private/a', 'https://other.lv/', 'https://x.lv/#top'], 0);
    s.addStatement('https://x.lv/pieklustamiba', 0);
    const order = [s.next(), s.next(), s.next(), s.next(), s.next()].map((c) => c?.url);
    expect(order).toEqual(['https://x.lv/pieklustamiba', 'https://x.lv/news/1', 'https://x.lv/contact', 'https://x.lv/news/2', 'https://x.lv/news/3']);
    expect(s.next()).toBeNull(); // the cap of 6 holds
    expect(s.excluded).toEqual([{ url: 'https://x.lv/private/a', reason: 'robots.txt' }]);
  });
  it('takes in the host the start page redirected to, and no other', () => {
    const s = new SiteSampler(new URL('https://old.lv/'), 10, robots);
    s.alsoSite('https://www.new.lv/');
    s.addLinks(['https://new.lv/a', 'https://other.lv/b', 'https://old.lv/c'], 0);
    expect([s.next()?.url, s.next()?.url, s.next()]).toEqual(['https://new.lv/a', 'https://old.lv/c', null]);
  });

  it('ranks sitemap pages before deeper links and never returns a page twice', () => {
    const s = new SiteSampler(new URL('https://x.lv/'), 100, robots);
    s.addGiven('https://x.lv/', 'start');
    s.next();
    s.addLinks(['https://x.lv/a'], 1); // depth 2
    s.addLinks(['https://x.lv/deep'], 1);
    s.addSitemapUrls(['https://x.lv/b', 'https://x.lv/a/']);
    // /a was a deep link; the sitemap names it too, so it moves up to the sitemap's rank.
    expect(s.next()?.url).toBe('https://x.lv/a');
    expect(s.next()?.url).toBe('https://x.lv/b');
    expect(s.next()).toMatchObject({ url: 'https://x.lv/deep', depth: 2 });
    expect(s.next()).toBeNull();
  });
});
