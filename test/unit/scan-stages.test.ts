// The stages of a site's scan (src/audit/site.ts orders them), each on its own: the retry rules of a
// page's audit, the scheduling of the sample, what an audited page's links add, and discovery's second
// asking of a robots.txt that failed (over a real local HTTP server).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSample, type SampleStages } from '../../src/audit/audit-sample.js';
import { SiteExplorer } from '../../src/audit/explore.js';
import { LinkHarvest } from '../../src/audit/harvest.js';
import { defaultAuditOptions } from '../../src/audit/options.js';
import { retryRule } from '../../src/audit/page-audit.js';
import { applyRobots, openScan, pagesAtOnce, type SiteScan } from '../../src/audit/scan.js';
import type { Candidate } from '../../src/crawl/sampler.js';
import type { GatheredPage } from '../../src/gather/page.js';
import type { BrowserSession } from '../../src/gather/session.js';

const NO_BROWSER = {} as BrowserSession; // the stages tested here never reach the browser
const page = (candidate: Candidate, extra: Partial<GatheredPage> = {}): GatheredPage => ({ candidate, links: [], durationMs: 1, ...extra });
const scanOf = (urls: string[], over: Parameters<typeof defaultAuditOptions>[0] = {}, signal?: AbortSignal): SiteScan =>
  openScan(urls.map((u) => new URL(u)), defaultAuditOptions({ lighthouse: false, ...over }), NO_BROWSER, { signal });

describe('retryRule: what follows an attempt at a page', () => {
  const crash = page({ url: 'https://a.lv/', source: 'start', depth: 0 }, { error: { code: 'crash', message: 'Target crashed' } });
  const busy = page({ url: 'https://a.lv/', source: 'start', depth: 0 }, { retryAfterMs: 2000, error: { code: 'http', message: 'HTTP 503' } });

  it('waits as a server asked twice at most, and only within the site deadline', () => {
    expect(retryRule(busy, 0, 0, 0, 10_000, 60_000)).toEqual({ wait: 2000 });
    expect(retryRule(busy, 1, 0, 0, 10_000, 60_000)).toEqual({ wait: 2000 });
    expect(retryRule(busy, 2, 0, 0, 10_000, 60_000)).toBe('done');
    expect(retryRule(busy, 0, 0, 9_000, 10_000, 60_000)).toBe('done');
  });

  it('tries a crashed page once more in a fresh tab when its timeout still fits', () => {
    expect(retryRule(crash, 0, 0, 0, 100_000, 60_000)).toBe('again');
    expect(retryRule(crash, 1, 1, 0, 100_000, 60_000)).toBe('done');
    expect(retryRule(crash, 0, 0, 50_000, 100_000, 60_000)).toBe('done');
    expect(retryRule(page(crash.candidate), 0, 0, 0, 100_000, 60_000)).toBe('done');
  });
});

describe('auditSample: the scheduling of the sample', () => {
  const run = async (scan: SiteScan, plan: string[][], opts: { onAudit?: (c: Candidate) => void } = {}) => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    let rounds = 0;
    const stages: SampleStages = {
      auditPage: async (c) => {
        opts.onAudit?.(c);
        peak = Math.max(peak, ++running);
        log.push(`start ${new URL(c.url).pathname}`);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return c.url.includes('gone') ? page(c, { httpStatus: 404, error: { code: 'http', message: 'HTTP 404' } }) : page(c);
      },
      absorb: (p) => log.push(`absorb ${new URL(p.candidate.url).pathname}`),
      broken: (p) => log.push(`broken ${new URL(p.candidate.url).pathname}`),
      firstPlan: async () => {
        log.push('plan');
        rounds++;
        for (const u of plan[0] ?? []) scan.queue.push({ url: u, source: 'link', depth: 1 });
      },
      planMore: async () => {
        const more = plan[rounds++] ?? [];
        for (const u of more) scan.queue.push({ url: u, source: 'link', depth: 1 });
        return more.length;
      },
      get rounds() { return rounds; },
    };
    await auditSample(scan, stages);
    return { log, peak };
  };

  it('audits the start page alone, plans, then runs the plan two at a time', async () => {
    const scan = scanOf(['https://a.lv/'], { maxPages: 5, concurrency: 2 });
    const { log, peak } = await run(scan, [['https://a.lv/1', 'https://a.lv/2', 'https://a.lv/3', 'https://a.lv/4']]);
    expect(log.slice(0, 3)).toEqual(['start /', 'absorb /', 'plan']);
    expect(scan.gathered.map((p) => new URL(p.candidate.url).pathname).sort()).toEqual(['/', '/1', '/2', '/3', '/4']);
    expect(peak).toBe(2);
  });

  it('plans again when the plan ran short, up to the rounds the scan allows', async () => {
    const scan = scanOf(['https://a.lv/'], { maxPages: 10 });
    await run(scan, [['https://a.lv/1'], ['https://a.lv/2'], ['https://a.lv/3'], ['https://a.lv/4']]);
    expect(scan.gathered.map((p) => new URL(p.candidate.url).pathname)).toEqual(['/', '/1', '/2', '/3']);
  });

  it('a page of the plan that answers 404 is a broken link, not a page: another round takes its place', async () => {
    const scan = scanOf(['https://a.lv/'], { maxPages: 3 });
    const { log } = await run(scan, [['https://a.lv/1', 'https://a.lv/gone'], ['https://a.lv/2']]);
    expect(log).toContain('broken /gone');
    expect(scan.gathered.map((p) => new URL(p.candidate.url).pathname).sort()).toEqual(['/', '/1', '/2']);
  });

  it('a start page that answers 404 stays a page (it failed): no broken link', async () => {
    const scan = scanOf(['https://a.lv/gone'], { maxPages: 3 });
    const { log } = await run(scan, [[]]);
    expect(log.some((l) => l.startsWith('broken'))).toBe(false);
    expect(scan.gathered.map((p) => p.error?.code)).toEqual(['http']);
  });

  it('one page at a time when the site asks for a delay between loads', async () => {
    const scan = scanOf(['https://a.lv/'], { maxPages: 4, concurrency: 4, delayMs: 1 });
    applyRobots(scan);
    const { peak } = await run(scan, [['https://a.lv/1', 'https://a.lv/2', 'https://a.lv/3']]);
    expect(peak).toBe(1);
  });

  it('starts nothing more once stopped, and abandons the page in flight', async () => {
    const stop = new AbortController();
    const scan = scanOf(['https://a.lv/'], { maxPages: 6, concurrency: 1 }, stop.signal);
    await run(scan, [['https://a.lv/1', 'https://a.lv/2', 'https://a.lv/3']], { onAudit: (c) => c.url.endsWith('/1') && stop.abort() });
    expect(scan.gathered.map((p) => new URL(p.candidate.url).pathname)).toEqual(['/']);
    expect(scan.queue.map((c) => new URL(c.url).pathname)).toEqual(['/2', '/3']);
  });
});

describe('LinkHarvest: what an audited page adds', () => {
  it('lists each on-site document once, leaves off-site ones, and takes the start page\'s language versions as the site', () => {
    const scan = scanOf(['https://a.lv/']);
    const explorer = new SiteExplorer(scan.sampler, scan.http, scan.pacer, 1);
    const harvest = new LinkHarvest(scan.sampler, explorer);
    const start = { url: 'https://a.lv/', source: 'start' as const, depth: 0 };
    harvest.absorb(page(start, {
      links: [
        { href: '/a.pdf', text: 'A' }, { href: '/a.pdf#p2', text: 'A again' }, { href: 'https://b.lv/b.pdf', text: 'B' },
        { href: 'https://en.a.eu/', text: 'English', hreflang: 'en' }, { href: '/par/', text: 'Par' },
      ],
    }));
    expect(harvest.documents.map((d) => d.url)).toEqual(['https://a.lv/a.pdf']);
    expect(scan.sampler.onSite('https://en.a.eu/x')).toBe(true);
    expect(scan.sampler.onSite('https://b.lv/')).toBe(false);
    harvest.absorb(page({ url: 'https://a.lv/par/', source: 'link', depth: 1 }, { links: [{ href: 'https://c.lv/', text: 'C', hreflang: 'lv' }] }));
    expect(scan.sampler.onSite('https://c.lv/')).toBe(false); // only the start page's alternates
  });

  it('a start URL with a folder is that folder of the host: another institution under the same host is not the site', () => {
    const scan = scanOf(['https://valsts.lv/iestade-a/']);
    expect(scan.sampler.scope).toBe('/iestade-a/');
    for (const u of ['https://valsts.lv/iestade-a', 'https://valsts.lv/iestade-a/', 'https://valsts.lv/iestade-a/par/']) expect(scan.sampler.onSite(u), u).toBe(true);
    for (const u of ['https://valsts.lv/iestade-b/', 'https://valsts.lv/', 'https://valsts.lv/iestade-ab/']) expect(scan.sampler.onSite(u), u).toBe(false);
    expect(scanOf(['https://valsts.lv/iestade-a/index.html']).sampler.scope).toBe('/iestade-a/');
    expect(scanOf(['https://valsts.lv/']).sampler.scope).toBe('/');
  });

  it('a start URL without a slash is a folder when its page links into it, else the folder it is in (a home page at /lv/sakums)', () => {
    const folder = scanOf(['https://valsts.lv/iestade-a']);
    expect(folder.sampler.scope).toBe('/iestade-a/');
    folder.sampler.settleScope(['https://valsts.lv/iestade-a/par/', 'https://valsts.lv/'], 'https://valsts.lv/iestade-a');
    expect(folder.sampler.scope).toBe('/iestade-a/');
    expect(folder.sampler.onSite('https://valsts.lv/iestade-b/')).toBe(false);
    const page = scanOf(['https://novads.lv/lv/sakums']);
    page.sampler.settleScope(['https://novads.lv/lv/jaunumi/', 'https://novads.lv/lv/sakums', 'https://novads.lv/en/'], 'https://novads.lv/lv/sakums');
    expect(page.sampler.scope).toBe('/lv/');
    expect(page.sampler.onSite('https://novads.lv/lv/jaunumi/1/')).toBe(true);
    expect(page.sampler.onSite('https://novads.lv/en/')).toBe(false);
  });
});

describe('SiteDiscovery: robots.txt asked once more', () => {
  let server: Server;
  let base: string;
  let answers: number[];
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/robots.txt') {
        res.writeHead(answers.shift() ?? 200, { 'content-type': 'text/plain' }).end('User-agent: *\nCrawl-delay: 0.05\nDisallow: /private/\n');
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a 503 then 200: read the second time, its rules and delay applied', async () => {
    answers = [503];
    const scan = scanOf([base], { robotsRetryMs: 50 });
    await scan.discovery.readRobots();
    expect(scan.discovery.robotsTxt).toBe('error');
    expect(await scan.discovery.retryRobots(50, Date.now() + 5000, scan.stopped)).toBe(true);
    applyRobots(scan);
    expect(scan.discovery.robotsTxt).toBe('found');
    expect(scan.discovery.notes.join(' ')).toMatch(/robots\.txt could not be read \(HTTP 503\); read when asked again/);
    expect(scan.pacer.gapMs).toBe(50);
    expect(pagesAtOnce(scan)).toBe(1);
  });

  it('a 503 twice: the note says what it answered both times', async () => {
    answers = [503, 503];
    const scan = scanOf([base]);
    await scan.discovery.readRobots();
    expect(await scan.discovery.retryRobots(0, Date.now() + 5000, scan.stopped)).toBe(false);
    expect(scan.discovery.notes.join(' ')).toMatch(/could not be read \(HTTP 503\); asked again \d+ s later: HTTP 503/);
  });
});
