// Fault injection: a hostile site beside normal pages. The audit must finish within its budgets, account
// for every page it attempted, audit the normal pages normally, and leave no Chromium behind.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants, startCli } from '../helpers.js';
import { FAULT_PAGES, NORMAL_PAGES, serveFaultSite } from '../fault-site.js';
import type { SiteResult } from '../../src/schema/result.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-faults-'));
let site: Awaited<ReturnType<typeof serveFaultSite>>;
beforeAll(async () => {
  site = await serveFaultSite();
});
afterAll(() => site.close());

describe('a hostile site', () => {
  it('is audited to the end: every fault accounted for, normal pages audited, nothing left running', async () => {
    const json = join(tmp, 'faults.json');
    const started = Date.now();
    const cli = startCli(['audit', site.url, '--no-lighthouse', '--quiet', '--max-pages', '40', '--page-timeout', '12', '--site-timeout', '300', '--json', json]);
    // Every process this audit starts (Chromium and its helpers), sampled while it runs.
    const spawned = new Set<number>();
    const sampler = setInterval(() => descendants(cli.child.pid!).forEach((p) => spawned.add(p)), 300);
    const killer = setTimeout(() => cli.child.kill('SIGKILL'), 400_000);
    const code = await cli.exited;
    clearInterval(sampler);
    clearTimeout(killer);
    const seconds = (Date.now() - started) / 1000;
    expect(code, cli.output()).toBe(0);
    expect(spawned.size).toBeGreaterThan(1); // Chromium was seen, so the check below means something
    const r: SiteResult = JSON.parse(readFileSync(json, 'utf8'));
    const byPath = new Map(r.pages.map((p) => [new URL(p.url).pathname + new URL(p.url).search, p]));

    // The page cap holds whatever the calendar and the 50,000-URL sitemap offer.
    expect(r.pages.length).toBeLessThanOrEqual(40);
    expect(r.discovery.sitemapUrls).toBeLessThanOrEqual(5000);
    // The malformed robots.txt's Disallow is honoured.
    expect([...byPath.keys()].some((p) => p.startsWith('/secret'))).toBe(false);
    expect(site.hits.some((h) => h.startsWith('/secret'))).toBe(false);
    // Every page attempted is in the result, ok or error with a reason.
    for (const p of r.pages) {
      expect(['ok', 'error']).toContain(p.status);
      if (p.status === 'error') expect(p.error, p.url).toBeTruthy();
    }
    for (const path of NORMAL_PAGES) expect(byPath.get(path)?.status, path).toBe('ok');
    expect(byPath.get('/lv1257')).toMatchObject({ status: 'ok', title: 'Piekļūstamība un paziņojumi' });
    const expectError: Record<string, string[]> = {
      '/never': ['timeout'], '/trickle': ['timeout'], '/500': ['http'], '/503': ['http'], '/loop': ['redirect-loop'],
      '/away': ['network'], '/download': ['not-html'], '/spin': ['timeout'], '/oom': ['crash', 'timeout'], '/huge': ['timeout'],
    };
    const survived: string[] = [];
    for (const [path, codes] of Object.entries(expectError)) {
      const p = byPath.get(path);
      expect(p, `${path} was attempted`).toBeDefined();
      expect(codes, `${path}: ${p?.errorCode} ${p?.error}`).toContain(p!.errorCode);
      survived.push(path);
    }
    // Hostile but auditable: dialogs, pop-ups, a huge DOM, a page that navigates away.
    for (const path of ['/dialogs', '/popups', '/navigates', '/calendar?d=0']) {
      const p = byPath.get(path);
      expect(p, `${path} was attempted`).toBeDefined();
      if (p!.status === 'ok' || p!.error) survived.push(path);
    }
    survived.push('/lv1257', '/secret/page', '/sitemap.xml', '/robots.txt');
    // Budgets: 40 pages at most 12 s each, two at a time, and never past the site budget.
    expect(seconds).toBeLessThan(300);
    // Chromium's helpers take a moment to exit after the browser: give them 10 s, not forever.
    const until = Date.now() + 10_000;
    while ([...spawned].some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect([...spawned].filter(alive)).toEqual([]);
    const injected = Object.keys(FAULT_PAGES).length + 2; // + the 50,000-URL sitemap and the malformed robots.txt
    console.log(`faults injected: ${injected}, survived with nothing lost: ${new Set(survived).size}; ${r.pages.length} pages in ${seconds.toFixed(0)} s`);
    expect(new Set(survived).size).toBe(injected);
  }, 420_000);
});
