// `eindex serve` end to end in real Chromium: browse stored runs, open an institution, check a local
// fixture site through the form and the API; no console errors, no script from audited sites runs, the
// refusals and limits hold, and the dashboard earns `highest` from eindex's own audit.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../src/gather/browser.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import { FIXTURES, runCli, startCli, waitFor } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-serve-'));
const db = join(tmp, 'db.sqlite');
const TOKEN = 'test-admin-token-0123456789';
let sites: StaticSite[] = [];
let server: ReturnType<typeof startCli>;
let strict: ReturnType<typeof startCli>;
let base = '';
let strictBase = '';
let browser: Browser;

/** A server of a test's own on the same database (the shared one's check quota is the limits test's). */
const own: ReturnType<typeof startCli>[] = [];
async function ownServer(): Promise<string> {
  const s = startCli(['serve', '--db', db, '--port', '0', '--allow-private', '--no-lighthouse', '--check-pages', '2']);
  own.push(s);
  return listening(s);
}

async function listening(s: ReturnType<typeof startCli>): Promise<string> {
  return waitFor('eindex serve to listen', () => /listening on (http:\/\/\S+)/.exec(s.output())?.[1], 30_000);
}

/** Opens a page and records console errors, dialogs and whether injected script ran. */
async function visit(path: string, lang = 'en'): Promise<{ tab: Page; problems: string[] }> {
  const tab = await browser.newPage({ extraHTTPHeaders: { 'accept-language': lang } });
  const problems: string[] = [];
  tab.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  tab.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  tab.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await tab.goto(`${base}${path}`);
  return { tab, problems };
}

const pwned = (tab: Page) => tab.evaluate(() => (window as unknown as { pwned?: number }).pwned);

beforeAll(async () => {
  sites = await Promise.all(['accessible', 'inaccessible', 'hostile'].map((d) => serveStatic(join(FIXTURES, d))));
  const [acc, inacc, hostile] = sites.map((s) => s.url);
  writeFileSync(join(tmp, 'targets.yaml'), `targets:
  - { private: true, id: km, name: "Kultūras ministrija", group: ministry, url: "${acc}" }
  - { private: true, id: evil, name: "<img src=x onerror=alert(1)>Ļauna iestāde", group: state-institution, url: "${hostile}" }
  - { private: true, id: aluksne, name: "Alūksnes novads", group: municipality, url: "${inacc}" }
`);
  const args = ['run', join(tmp, 'targets.yaml'), '--db', db, '--no-lighthouse', '--max-pages', '2', '--page-timeout', '20', '--quiet'];
  for (let i = 0; i < 2; i++) expect((await runCli(args)).code).toBe(0);
  server = startCli(['serve', '--create-db', '--db', db, '--port', '0', '--allow-private', '--no-lighthouse', '--check-pages', '2', '--checks-per-hour', '4'], { EINDEX_ADMIN_TOKEN: TOKEN });
  strict = startCli(['serve', '--create-db', '--db', db, '--port', '0', '--no-lighthouse']);
  [base, strictBase] = await Promise.all([listening(server), listening(strict)]);
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const s of [server, strict, ...own]) s?.child.kill('SIGTERM');
  await Promise.all([server?.exited, strict?.exited, ...own.map((s) => s.exited)]);
  await Promise.all(sites.map((s) => s.close()));
});

describe('the dashboard to dig into', () => {
  it('institutions sorted by any column and filtered by group, grade and mobile verdict, in the address', async () => {
    const names = async (path: string) => {
      const { tab } = await visit(path);
      const rows = await tab.locator('table', { has: tab.locator('caption', { hasText: /shown\)$/ }) }).locator('tbody th[scope=row]').allTextContents();
      await tab.close();
      return rows;
    };
    expect(await names('/?sort=name')).toEqual([...(await names('/?sort=name'))].sort((a, b) => a.localeCompare(b, 'en')));
    const byScore = await names('/?sort=score&dir=desc');
    expect(byScore[0]).toBe('Kultūras ministrija'); // the accessible one
    expect(await names('/?group=municipality')).toEqual(['Alūksnes novads']);
    expect(await names('/?grade=highest')).toEqual(['Kultūras ministrija']);
    expect(await names('/?q=al%C5%AB')).toEqual(['Alūksnes novads']);
    const { tab } = await visit('/?sort=score&dir=desc');
    expect(await tab.locator('th[aria-sort=descending]').count()).toBe(1);
    await tab.close();
  });

  it('an institution lists its audited pages with score, rules, mobile checks and why each was sampled; its trend is legible at 412 px', async () => {
    const tab = await browser.newPage({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
    await tab.goto(`${base}/runs/2/institutions/aluksne`);
    const pages = tab.locator('table', { hasText: 'Why sampled' });
    expect(await pages.count()).toBe(1);
    expect(await pages.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await pages.textContent()).toMatch(/home page/);
    // The trend chart's labels are at least 10 px high as the phone draws them (they were 5 px).
    const heights = await tab.locator('svg.chart text').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(10);
    await tab.close();
  });

  it('any two runs compared: grades that changed, new and fixed problems', async () => {
    const { tab, problems } = await visit('/compare?from=1&to=2');
    expect(await tab.locator('h1').textContent()).toBe('Run 1 compared with run 2');
    for (const h of ['Grades that changed', 'New problems', 'Fixed problems']) expect(await tab.getByRole('heading', { name: h }).count()).toBe(1);
    expect((await fetch(`${base}/compare?from=1&to=99`)).status).toBe(400);
    expect(problems).toEqual([]);
    await tab.close();
  });
});

describe('eindex serve', () => {
  it('browse: the latest run with its chart, then an institution with its trend and exports; Latvian too', async () => {
    const { tab, problems } = await visit('/');
    expect(await tab.locator('h1').textContent()).toContain('eindex');
    expect(await tab.locator('svg[role=img]').count()).toBeGreaterThanOrEqual(2);
    await tab.getByRole('link', { name: 'Alūksnes novads' }).first().click();
    await tab.waitForURL(/\/runs\/2\/institutions\/aluksne/);
    expect(await tab.locator('h1').textContent()).toContain('Alūksnes novads');
    expect(await tab.getByRole('table', { name: 'Scores over time' }).locator('tbody tr').count()).toBe(2);
    expect(await tab.locator('img[src^="data:image/jpeg"]').count()).toBeGreaterThan(0); // evidence screenshots
    expect(await tab.getByText('What to fix first').count()).toBe(1);
    const csv = await tab.request.get(`${base}/runs/2/report.csv?lang=en&institution=aluksne`);
    expect((await csv.text()).split('\r\n')[1]).toMatch(/^"aluksne","Alūksnes novads","municipality",/);
    const detail = await tab.request.get(`${base}${await tab.getByRole('link', { name: 'CSV: every violation' }).getAttribute('href')}`);
    const rows = (await detail.text()).split('\r\n').filter(Boolean).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.startsWith('"aluksne",'))).toBe(true); // this institution's violations only
    await tab.getByRole('link', { name: 'Latviski' }).click();
    expect(await tab.getByText('Ko labot vispirms').count()).toBe(1);
    expect(await tab.locator('html').getAttribute('lang')).toBe('lv');
    const pdf = await tab.request.get(`${base}/runs/2/report.pdf?lang=lv&institution=aluksne`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
    await tab.close();
  });

  it('a hostile page (script in title, attributes, text) and a hostile name cannot run script on any dashboard page', async () => {
    for (const path of ['/', '/runs/2', '/runs/2/institutions/evil', '/runs/1/institutions/evil?lang=lv', '/api/runs/2']) {
      const { tab, problems } = await visit(path);
      expect(await pwned(tab), path).toBeUndefined();
      expect(problems, path).toEqual([]);
      await tab.close();
    }
    const res = await fetch(`${base}/runs/2/institutions/evil`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    const html = await res.text();
    expect(html).not.toMatch(/<img src=x onerror|<script>window\.pwned/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;Ļauna iestāde');
  });

  it('on a phone (412 px) and a desktop, both languages: no word broken inside, every table readable (it fits or scrolls)', async () => {
    const paths = ['/', '/runs/2', '/runs/2/institutions/aluksne', '/runs/2/institutions/km', '/compare?from=1&to=2', '/check'];
    const shots = mkdtempSync(join(tmpdir(), 'eindex-phone-'));
    for (const width of [412, 1280]) {
      for (const lang of ['en', 'lv']) {
        const tab = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          const report = await (await fetch(`${base}/runs/2/report.html?lang=${lang}`)).text();
          for (const path of [...paths, 'report']) {
            if (path === 'report') await tab.setContent(report);
            else await tab.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
            const found = await tab.evaluate(brokenWordsAndTables);
            expect(found.brokenWords, `${width} px ${lang} ${path}`).toEqual([]);
            expect(found.overflowingTables, `${width} px ${lang} ${path}`).toEqual([]);
            if (width === 412) await tab.screenshot({ path: join(shots, `${lang}${path.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
          }
        } finally {
          await tab.close();
        }
      }
    }
  });

  it('a path that names another host (//evil.example/x) is a 404 whose language link stays on this server', async () => {
    for (const path of ['//evil.example/x', '/\\evil.example/x', '///evil.example/x?lang=en']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html, path).not.toMatch(/href="(\/\/|\/\\|https?:)[^"]*evil/);
      expect(html, path).toContain('href="/x?lang=lv"');
    }
  });

  it('check my site: the form queues a check, progress is shown, the result has its own address', async () => {
    const { tab, problems } = await visit('/check');
    await tab.getByLabel('Website address').fill(sites[1]!.url);
    await tab.getByRole('button', { name: 'Check' }).click();
    await tab.waitForURL(/\/checks\/[A-Za-z0-9_-]{16}/);
    const shareable = tab.url();
    await tab.getByText('Done:').waitFor({ timeout: 90_000 }); // check.js reloads the page when the check is done
    expect(await tab.locator('.grade').first().textContent()).toBe('Low compliance');
    const again = await browser.newPage();
    await again.goto(shareable);
    expect(await again.locator('.grade').first().textContent()).toBe('Low compliance');
    await again.close();
    // The result offers its HTML report and its JSON, and lists the pages it audited.
    const id = /\/checks\/([A-Za-z0-9_-]+)/.exec(shareable)![1];
    const html = await fetch(`${base}/checks/${id}/report.html?lang=lv`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<html lang="lv">');
    const resultJson = (await (await fetch(`${base}/checks/${id}/result.json`)).json()) as { schemaVersion: number; grade: string };
    expect(resultJson).toMatchObject({ schemaVersion: 2, grade: 'low' });
    expect(await tab.getByRole('link', { name: 'JSON' }).count()).toBe(1);
    expect(await tab.locator('table', { hasText: 'Why sampled' }).count()).toBe(1);
    expect(problems).toEqual([]);
    // The hostile site, checked: its content is shown as text only.
    await tab.goto(`${base}/check`);
    await tab.getByLabel('Website address').fill(sites[2]!.url);
    await tab.getByRole('button', { name: 'Check' }).click();
    await tab.getByText('Done:').waitFor({ timeout: 90_000 });
    expect(await pwned(tab)).toBeUndefined();
    expect(problems).toEqual([]);
    await tab.close();
  }, 200_000);

  it('API: POST /api/checks → 202 and an id; GET it until done, with the grade; runs and institutions as JSON', async () => {
    const post = await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: sites[0]!.url }) });
    expect(post.status).toBe(202);
    const { id } = (await post.json()) as { id: string };
    const done = await waitFor('the check', async () => {
      const c = (await (await fetch(`${base}/api/checks/${id}`)).json()) as { status: string; grade: string | null; result: { grade: string } | null };
      return c.status === 'done' || c.status === 'error' ? c : null;
    }, 90_000);
    expect(done).toMatchObject({ status: 'done', grade: 'highest', result: { grade: 'highest' } });
    const runs = (await (await fetch(`${base}/api/runs`)).json()) as { runs: { id: number }[] };
    expect(runs.runs.map((r) => r.id)).toEqual([2, 1]);
    const km = (await (await fetch(`${base}/api/runs/2/institutions/km`)).json()) as { grade: string };
    expect(km.grade).toBe('highest');
    const history = (await (await fetch(`${base}/api/institutions/km/history`)).json()) as { history: unknown[] };
    expect(history.history).toHaveLength(2);
  }, 120_000);

  it('refusals: schemes, credentials, internal addresses (without --allow-private), bad bodies; each a 4xx with a clear message', async () => {
    const post = (body: string, type = 'application/json', at = strictBase) => fetch(`${at}/api/checks`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: [string, number, RegExp][] = [
      [JSON.stringify({ url: 'ftp://example.lv/' }), 422, /only http and https/],
      [JSON.stringify({ url: 'https://u:p@example.lv/' }), 422, /user name or password/],
      [JSON.stringify({ url: sites[0]!.url }), 422, /internal address|port/],
      [JSON.stringify({ url: 'http://localhost:8080/' }), 422, /internal address/],
      [JSON.stringify({ url: 'http://169.254.169.254/' }), 422, /internal address/],
      [JSON.stringify({ url: 'http://[::1]:8080/' }), 422, /internal address/],
      [JSON.stringify({}), 422, /give the address/],
      ['{not json', 400, /not valid JSON/],
      ['[1]', 400, /JSON object/],
      [JSON.stringify({ url: 'x'.repeat(20_000) }), 413, /larger than/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      expect(res.status, body.slice(0, 60)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await post('url=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    // The form shows the refusal beside the field.
    const { tab } = await visit('/check');
    await tab.goto(`${strictBase}/check`);
    await tab.getByLabel('Website address').fill('http://127.0.0.1/');
    await tab.getByRole('button', { name: 'Check' }).click();
    expect(await tab.getByRole('alert').textContent()).toMatch(/internal address/);
    expect(await tab.getByLabel('Website address').getAttribute('aria-invalid')).toBe('true');
    await tab.close();
  });

  it('limits: per-client checks an hour; admin actions need the token', async () => {
    // The hourly limit, not the limit on checks at once: each check is waited for before the next, so
    // none is open when the refusal comes, and the refusal must say it is the hourly one.
    let limited: Response | null = null;
    let accepted = 0;
    for (let i = 0; i < 6 && !limited; i++) {
      const res = await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: sites[0]!.url }) });
      if (res.status === 429) {
        limited = res;
        break;
      }
      expect(res.status).toBe(202);
      accepted++;
      const { id } = (await res.json()) as { id: string };
      await waitFor(`check ${id} to finish`, async () => ['done', 'error'].includes(((await (await fetch(`${base}/api/checks/${id}`)).json()) as { status: string }).status), 60_000);
    }
    expect(limited?.status).toBe(429);
    expect(((await limited!.json()) as { error: string }).error).toMatch(/^at most 4 checks an hour from one address/);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(3000); // the oldest check leaves the hour, not 30 s
    expect(accepted).toBeGreaterThanOrEqual(1); // the earlier tests' checks count too: 4 in all
    expect((await fetch(`${base}/api/runs/1`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${base}/api/runs/1`, { method: 'DELETE', headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status).toBe(401);
    expect((await fetch(`${strictBase}/api/runs/1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(403); // no token configured there
    expect((await fetch(`${base}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"targets":"demo.yaml"}' })).status).toBe(401);
    const del = await fetch(`${base}/api/runs/1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(del.status).toBe(200);
    expect(((await (await fetch(`${base}/api/runs`)).json()) as { runs: { id: number }[] }).runs.map((r) => r.id)).toEqual([2]);
  });

  it('the dashboard earns `highest` from eindex\'s own audit, and is mobile-friendly', async () => {
    const out = join(tmp, 'self.json');
    const r = await runCli(['audit', `${base}/`, '--no-lighthouse', '--max-pages', '8', '--json', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const self = JSON.parse(readFileSync(out, 'utf8')) as { grade: string; mobileFriendly: boolean; summary: { pagesOk: number; violations: number } };
    expect(self).toMatchObject({ grade: 'highest', mobileFriendly: true, summary: { violations: 0 } });
    expect(self.summary.pagesOk).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('every dashboard page and report, in both languages, passes eindex: mobile-friendly, no serious or critical violation', async () => {
    const base = await ownServer();
    const check = ((await (await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: sites[0]!.url }) })).json()) as { id: string }).id;
    await waitFor('the check to finish', async () => ((await (await fetch(`${base}/api/checks/${check}`)).json()) as { status: string }).status === 'done', 120_000);
    // The runs still stored (the limits test deletes one with the admin token).
    const [to, from = to] = ((await (await fetch(`${base}/api/runs`)).json()) as { runs: { id: number; status: string }[] }).runs.filter((r) => r.status === 'done').map((r) => r.id);
    const paths = ['/', `/runs/${from}`, `/runs/${to}/institutions/aluksne`, `/runs/${to}/institutions/km`, `/compare?from=${from}&to=${to}`, '/check', '/accessibility', `/checks/${check}`];
    const urls = paths.flatMap((p) => ['en', 'lv'].map((lang) => `${base}${p}${p.includes('?') ? '&' : '?'}lang=${lang}`));
    // The reports are downloads (Content-Disposition: attachment): served again as pages to be audited.
    const reports = new Map<string, string>();
    for (const lang of ['en', 'lv']) {
      reports.set(`/run-${lang}.html`, await (await fetch(`${base}/runs/${to}/report.html?lang=${lang}`)).text());
      reports.set(`/check-${lang}.html`, await (await fetch(`${base}/checks/${check}/report.html?lang=${lang}`)).text());
    }
    const { createServer } = await import('node:http');
    const again = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(reports.get(req.url ?? '') ?? ''));
    await new Promise<void>((ok) => again.listen(0, '127.0.0.1', () => ok()));
    const out = join(tmp, 'every-page.json');
    const reportUrls = [...reports.keys()].map((p) => `http://127.0.0.1:${(again.address() as { port: number }).port}${p}`);
    const dashboard = await runCli(['audit', '--no-crawl', '--no-lighthouse', '--json', out, '--quiet', ...urls]);
    expect(dashboard.code, dashboard.stderr).toBe(0);
    const dashboardPages = (JSON.parse(readFileSync(out, 'utf8')) as { pages: unknown[] }).pages;
    const r = await runCli(['audit', '--no-crawl', '--no-lighthouse', '--json', out, '--quiet', ...reportUrls]);
    again.close();
    expect(r.code, r.stderr).toBe(0);
    type Audited = { url: string; status: string; error?: string; mobile?: { mobileFriendly: boolean; fitsScreen: { detail: string } }; axe?: { violations: { id: string; impact: string }[] } };
    const pages = [...dashboardPages, ...(JSON.parse(readFileSync(out, 'utf8')) as { pages: Audited[] }).pages] as Audited[];
    expect(pages).toHaveLength(urls.length + reportUrls.length);
    for (const p of pages) {
      expect(p.status, `${p.url}: ${p.error}`).toBe('ok');
      expect(p.mobile?.mobileFriendly, `${p.url}: ${JSON.stringify(p.mobile)}`).toBe(true);
      expect(p.axe!.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), p.url).toEqual([]);
    }
  }, 300_000);

  it('Latvian surfaces hold no text of the English catalogue', async () => {
    const base = await ownServer();
    const { ENGLISH_LABELS } = await import('../../src/report/i18n.js');
    const { LATVIAN_RULE_TEXTS } = await import('../../src/report/model.js');
    const axe = (await import('axe-core')).default as unknown as { getRules(): { ruleId: string; help: string }[] };
    // What the English surfaces say that a Latvian one must not: every label, every rule's English title,
    // the mobile details' English phrases, the check form's English refusals.
    const english = [
      ...ENGLISH_LABELS.filter((x) => x.length >= 8),
      ...axe.getRules().filter((r) => LATVIAN_RULE_TEXTS.help[r.ruleId]).map((r) => r.help),
      'horizontal scrolling', 'tap targets', 'of the visible text is smaller', 'viewport set for phones', 'no viewport meta tag', 'not a web address',
    ];
    const check = ((await (await fetch(`${base}/api/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: sites[1]!.url }) })).json()) as { id: string }).id;
    await waitFor('the check to finish', async () => ((await (await fetch(`${base}/api/checks/${check}`)).json()) as { status: string }).status === 'done', 120_000);
    const bad = await fetch(`${base}/check?lang=lv`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: 'url=ftp%3A%2F%2Fx.lv%2F' });
    const surfaces: [string, string][] = [['POST /check', await bad.text()]];
    const [to, from = to] = ((await (await fetch(`${base}/api/runs`)).json()) as { runs: { id: number; status: string }[] }).runs.filter((r) => r.status === 'done').map((r) => r.id);
    for (const p of ['/', `/runs/${to}`, `/runs/${to}/institutions/aluksne`, `/runs/${to}/institutions/evil`, `/compare?from=${from}&to=${to}`, '/check', `/checks/${check}`, `/runs/${to}/report.html`, `/checks/${check}/report.html`]) {
      const res = await fetch(`${base}${p}${p.includes('?') ? '&' : '?'}lang=lv`);
      expect(res.status, p).toBe(200);
      surfaces.push([p, await res.text()]);
    }
    const tab = await browser.newPage();
    const leftovers: string[] = [];
    for (const [path, html] of surfaces) {
      await tab.setContent(html.replace(/<link[^>]+stylesheet[^>]*>/g, ''));
      // The text a person reads (what the audited sites wrote — titles, snippets, URLs — excluded).
      const text = await tab.evaluate(() => {
        document.querySelectorAll('code, pre, figure, .muted, a[href^="http"], h1').forEach((el) => el.remove());
        return document.body.innerText;
      });
      for (const phrase of english) if (text.includes(phrase)) leftovers.push(`${path}: "${phrase}"`);
    }
    await tab.close();
    expect(leftovers).toEqual([]);
  }, 300_000);
});

/**
 * Runs in the page: the words a line break falls inside (their letters on two lines: "G r u p a", "Visau
 * gstāk ā"), URLs and code aside, and the tables wider than the screen that no scroll region holds.
 */
function brokenWordsAndTables(): { brokenWords: string[]; overflowingTables: string[] } {
  const brokenWords = new Set<string>();
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    const parent = n.parentElement;
    if (!parent || parent.closest('code, pre, script, style, svg, .skip') || /\/|:\/\/|www\./.test(n.textContent ?? '')) continue;
    for (const m of (n.textContent ?? '').matchAll(/[\p{L}\p{N}]{2,}/gu)) {
      const range = document.createRange();
      range.setStart(n, m.index!);
      range.setEnd(n, m.index! + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) brokenWords.add(m[0]);
    }
  }
  const overflowingTables = [...document.querySelectorAll('table')]
    .filter((t) => t.getBoundingClientRect().right > window.innerWidth + 1 && !t.closest('.tw'))
    .map((t) => t.querySelector('caption')?.textContent ?? 'a table');
  return { brokenWords: [...brokenWords], overflowingTables };
}
