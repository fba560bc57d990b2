// The command line as a user and a CI pipeline drive it (spawned processes, real Chromium, sites on
// 127.0.0.1): generated help, typos, --json -, JUnit read by an XML parser, SARIF checked against the
// 2.1.0 schema, --exclude / --exclude-url / --ignore-rule, the single-site HTML report (Latvian) audited
// by eindex itself, and the dashboard's HEAD and 405.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { siteResultSchema, type SiteResult } from '../../src/schema/result.js';
import { TOOL_VERSION } from '../../src/version.js';
import { auditResult, runCli, startCli, waitFor } from '../helpers.js';

const require = createRequire(import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'eindex-cli-'));
let site: Server;
let origin = '';

const doc = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
// A page of the site's own content plus a third-party widget the webmaster does not control: the widget
// has an image without alternative text and is 900 px wide (wider than a phone).
const WIDGET = '<div class="widget" style="width:900px"><img src="/w.png"> <a href="https://chat.example/">Chat</a></div>';
const pages: Record<string, string> = {
  '/': doc('Home', `<p>Welcome.</p><ul><li><a href="/about">About</a></li><li><a href="/report.pdf">Report</a></li><li><a href="/archive/2001">Archive</a></li><li><a href="/news">News</a></li></ul>${WIDGET}`),
  '/about': doc('About', `<p>About us.</p><img src="/team.png">${WIDGET}`),
  '/news': doc('News', '<p>News.</p>'),
  '/archive/2001': doc('Archive 2001', '<p>Old.</p>'),
};

beforeAll(async () => {
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/robots.txt') return res.writeHead(404).end();
    if (path.endsWith('.png')) return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex'));
    if (path === '/report.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
    const body = pages[path];
    if (!body) return res.writeHead(404, { 'content-type': 'text/html' }).end('<!doctype html><title>Not found</title>');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => site.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

describe('help, version and mistakes', () => {
  it('every command has generated help (exit 0, a usage line); -V, --version and version print the version', async () => {
    const runs = await Promise.all(COMMANDS.map((c) => runCli([c.name, '--help'])));
    COMMANDS.forEach((c, i) => {
      expect(runs[i]!.code, c.name).toBe(0);
      expect(runs[i]!.stdout, c.name).toMatch(new RegExp(`^Usage: eindex ${c.name} `));
      for (const o of c.options) expect(runs[i]!.stdout, `${c.name} --${o.name}`).toContain(`--${o.name}`);
    });
    for (const args of [['-V'], ['--version'], ['version']]) expect((await runCli(args)).stdout.trim()).toBe(TOOL_VERSION);
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr.match(/Usage: eindex/g)).toHaveLength(1);
  });

  it.each([
    [['audit', '--max-page', '3', 'https://x.lv/'], /^eindex: unknown option '--max-page' \(did you mean --max-pages\?\)/],
    [['adit', 'https://x.lv/'], /^eindex: unknown command 'adit' \(did you mean audit\?\)/],
    [['run', 'targets/demo.yaml', '--concurency', '2'], /did you mean --concurrency\?/],
    [['audit', 'https://x.lv/', '--ignore-rule', 'image-alts'], /"image-alts" is not an axe-core rule \(did you mean image-alt\?\)/],
    [['audit', 'https://x.lv/', '--json', '-', '--sarif', '-'], /only one output can go to standard output/],
    [['audit', 'https://x.lv/', '--delay', '-5'], /--delay must be a whole number ≥ 0/],
  ])('%j: one line in our words, exit 2', async (args, message) => {
    const run = await runCli(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('outputs for pipelines', () => {
  let result: SiteResult;
  const junitFile = join(tmp, 'junit.xml');
  const sarifFile = join(tmp, 'results.sarif');

  it('--json - writes the result, and only it, to standard output (--delay 0 accepted)', async () => {
    const run = await runCli(['audit', '--no-lighthouse', '--delay', '0', '--max-pages', '3', '--json', '-', '--junit', junitFile, '--sarif', sarifFile, origin + '/']);
    expect(run.code, run.stderr).toBe(0);
    result = siteResultSchema.parse(JSON.parse(run.stdout));
    expect(run.stderr).toMatch(/Accessibility: /); // the summary went to standard error
    expect(result.pages.length).toBe(3);
  }, 180_000);

  it('JUnit: a testsuite per page, a testcase per rule checked, a failure per violated rule with its elements', () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(readFileSync(junitFile, 'utf8'));
    const suites = xml.testsuites.testsuite as { name: string; tests: string; failures: string; testcase: { name: string; failure?: { message: string; '#text': string } }[] }[];
    expect(suites.map((s) => s.name).sort()).toEqual(result.pages.map((p) => p.url).sort());
    for (const page of result.pages) {
      const suite = suites.find((s) => s.name === page.url)!;
      // One testcase per rule, whatever lists axe-core put it in (a rule failing on some elements and
      // passing or needing review on others appeared twice, as a failure and as skipped).
      const axeRules = new Set([...page.axe!.violations, ...page.axe!.passes, ...page.axe!.needsReview].map((r) => r.id).concat(page.axe!.inapplicable)).size;
      expect(suite.testcase.length).toBe(axeRules + 5); // and the five mobile checks
      const ids = suite.testcase.map((c) => c.name.split(':')[0]);
      expect(new Set(ids).size).toBe(ids.length);
      const failed = suite.testcase.filter((c) => c.failure && !c.name.startsWith('mobile '));
      expect(failed.map((c) => c.name.split(':')[0]).sort()).toEqual(page.axe!.violations.map((v) => v.id).sort());
      for (const v of page.axe!.violations) {
        const c = failed.find((f) => f.name.startsWith(`${v.id}:`))!;
        for (const n of v.nodes) expect(c.failure!['#text']).toContain(n.target.join(' '));
      }
      expect(Number(suite.failures)).toBe(suite.testcase.filter((c) => c.failure).length);
    }
    expect(suites.some((s) => s.testcase.some((c) => c.name.startsWith('image-alt:') && c.failure))).toBe(true);
  });

  it('SARIF: valid against the 2.1.0 schema; rules with help URIs and WCAG tags; a result per violating element', () => {
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    const violations = result.pages.flatMap((p) => p.axe!.violations.flatMap((v) => v.nodes.map((n) => ({ id: v.id, url: p.url, target: n.target.join(' ') }))));
    expect(run.results).toHaveLength(violations.length);
    for (const v of violations) {
      expect(run.results.some((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: Location } ; logicalLocations: { fullyQualifiedName: string }[] }[] }) =>
        r.ruleId === v.id && pageOf(run, r.locations[0]!.physicalLocation.artifactLocation) === v.url && r.locations[0]!.logicalLocations[0]!.fullyQualifiedName === v.target)).toBe(true);
    }
    expectCodeScanningLocations(run);
    const imageAlt = run.tool.driver.rules.find((r: { id: string }) => r.id === 'image-alt');
    expect(imageAlt.helpUri).toMatch(/^https:\/\/dequeuniversity\.com\/rules\/axe\//);
    expect(imageAlt.properties.tags).toEqual(expect.arrayContaining(['wcag2a', 'WCAG 1.1.1']));
  });
});

interface Location { uri: string; uriBaseId?: string }
type SarifRun = { originalUriBaseIds?: Record<string, { uri: string }>; results: { locations: { physicalLocation: { artifactLocation: Location } }[]; properties?: { pageUrl?: string } }[] };

/** The page a result's location names, resolved as a SARIF consumer resolves it (uriBaseId → originalUriBaseIds). */
function pageOf(run: SarifRun, loc: Location): string {
  return new URL(loc.uri, run.originalUriBaseIds![loc.uriBaseId!]!.uri).href;
}

/**
 * What GitHub code scanning's upload accepts (its SARIF support page): a non-empty artifactLocation.uri,
 * relative when it has a uriBaseId (an http URI is "an unrecognized SARIF location URI scheme"), each base
 * an absolute URI ending in "/".
 */
function expectCodeScanningLocations(run: SarifRun) {
  expect(run.results.length).toBeGreaterThan(0);
  for (const r of run.results) {
    const loc = r.locations[0]!.physicalLocation.artifactLocation;
    // GitHub's upload rules: every result's region has a start line (it had none).
    expect((r.locations[0]!.physicalLocation as { region?: { startLine?: number } }).region?.startLine).toBeGreaterThanOrEqual(1);
    expect(loc.uri).not.toBe('');
    expect(loc.uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    expect(run.originalUriBaseIds?.[loc.uriBaseId!]?.uri).toMatch(/^https?:\/\/[^/]+\/$/);
    expect(r.properties?.pageUrl).toBe(pageOf(run, loc));
  }
}

describe('outputs of a registry run', () => {
  it('eindex run --sarif - --junit FILE: each institution\'s pages, SARIF valid; the summary on standard error', async () => {
    writeFileSync(join(tmp, 'two.yaml'), `targets:\n  - { id: home, name: Home, group: ministry, url: "${origin}/", private: true, maxPages: 1 }\n  - { id: about, name: About, group: municipality, url: "${origin}/about", private: true, maxPages: 1 }\n`);
    const junit = join(tmp, 'run-junit.xml');
    const run = await runCli(['run', join(tmp, 'two.yaml'), '--db', join(tmp, 'two.sqlite'), '--no-lighthouse', '--quiet', '--sarif', '-', '--junit', junit]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/run 1: 2 sites/);
    const sarif = JSON.parse(run.stdout);
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const uris = new Set(sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: Location } }[] }) => pageOf(sarif.runs[0], r.locations[0]!.physicalLocation.artifactLocation)));
    expect([...uris].sort()).toEqual([`${origin}/`, `${origin}/about`]); // both have the widget's image without alt
    expectCodeScanningLocations(sarif.runs[0]);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' }).parse(readFileSync(junit, 'utf8'));
    expect(xml.testsuites.testsuite.map((s: { name: string }) => s.name).sort()).toEqual([`about ${origin}/about`, `home ${origin}/`]);
  }, 180_000);
});

describe('exclude and ignore', () => {
  it('--exclude: a widget the site does not control is neither checked nor counted, by axe or the mobile checks', async () => {
    const before = await auditResult(['--no-lighthouse', '--no-crawl', `${origin}/`]);
    expect(before.pages[0]!.axe!.violations.map((v) => v.id)).toContain('image-alt');
    expect(before.pages[0]!.mobile!.fitsScreen.pass).toBe(false);
    const after = await auditResult(['--no-lighthouse', '--no-crawl', '--exclude', '.widget', `${origin}/`]);
    expect(after.pages[0]!.axe!.violations.map((v) => v.id)).not.toContain('image-alt');
    expect(after.pages[0]!.mobile!.fitsScreen.pass).toBe(true);
    expect(after.exclusions).toEqual({ selectors: ['.widget'], urlPatterns: [], ignoredRules: [] });
  }, 180_000);

  it('an --exclude selector the browser cannot parse: one line, exit 2', async () => {
    const run = await runCli(['audit', '--no-lighthouse', '--no-crawl', '--quiet', '--exclude', 'div[', `${origin}/news`]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('eindex: --exclude: "div[" is not a valid CSS selector');
  }, 60_000);

  it('--exclude-url: matching URLs are never sampled and are listed as excluded', async () => {
    const r = await auditResult(['--no-lighthouse', '--max-pages', '10', '--exclude-url', '*news$', '--exclude-url', '/archive/', `${origin}/`]);
    const paths = r.pages.map((p) => new URL(p.url).pathname).sort();
    expect(paths).toEqual(['/', '/about']);
    expect(r.discovery.excluded.map((x) => [new URL(x.url).pathname, x.reason]).sort()).toEqual([['/archive/2001', 'excluded'], ['/news', 'excluded']]);
    expect(r.exclusions!.urlPatterns).toEqual(['*news$', '/archive/']);
  }, 180_000);

  it('--ignore-rule: the rule leaves the result and the grade, and the result says so; registry runs refuse it', async () => {
    const json = join(tmp, 'ignored.json');
    const run = await runCli(['audit', '--no-lighthouse', '--no-crawl', '--ignore-rule', 'image-alt', '--json', json, `${origin}/about`]);
    expect(run.code, run.stderr).toBe(0);
    const r = siteResultSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
    expect(r.pages[0]!.axe!.violations.map((v) => v.id)).not.toContain('image-alt');
    expect(r.exclusions!.ignoredRules).toEqual(['image-alt']);
    expect(run.stdout).toMatch(/Accessibility:.*rules ignored: image-alt/);
    const config = join(tmp, 'ignore.yaml');
    writeFileSync(config, 'ignoreRules: [image-alt]\n');
    writeFileSync(join(tmp, 't.yaml'), `targets:\n  - { id: a, name: A, group: ministry, url: "${origin}/", private: true }\n`);
    const refused = await runCli(['run', join(tmp, 't.yaml'), '--db', join(tmp, 'r.sqlite'), '--config', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/registry runs do not ignore axe-core rules \(image-alt/);
    expect((await runCli(['run', join(tmp, 't.yaml'), '--ignore-rule', 'image-alt'])).stderr).toMatch(/unknown option '--ignore-rule'/);
  }, 180_000);
});

describe('the single-site HTML report', () => {
  it('is the report\'s institution section, in Latvian with --lang lv, and itself mobile-friendly with no serious or critical violation', async () => {
    const html = join(tmp, 'report-lv.html');
    const run = await runCli(['audit', '--no-lighthouse', '--max-pages', '3', '--html', html, '--lang', 'lv', '--quiet', `${origin}/`]);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('<html lang="lv">');
    expect(text).toContain('Ko labot vispirms'); // fix-first, as in eindex report
    expect(text).toMatch(/data:image\/jpeg;base64/); // element screenshots
    expect(text).toMatch(/WCAG 1\.1\.1 .*EN 301 549/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/); // dates for people, not ISO timestamps
    // eindex audits its own report.
    const served = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(text));
    await new Promise<void>((r) => served.listen(0, '127.0.0.1', r));
    try {
      const self = await auditResult(['--no-crawl', `http://127.0.0.1:${(served.address() as { port: number }).port}/`]);
      expect(self.mobileFriendly, JSON.stringify(self.pages[0]!.mobile)).toBe(true);
      const bad = self.pages[0]!.axe!.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
    } finally {
      await new Promise((r) => served.close(r));
    }
  }, 300_000);
});

describe('the dashboard for monitors', () => {
  it('HEAD is answered like GET; a wrong method gets 405 with Allow', async () => {
    const server = startCli(['serve', '--create-db', '--db', join(tmp, 'serve.sqlite'), '--port', '0', '--no-lighthouse']);
    try {
      const base = await waitFor('eindex serve to listen', () => /listening on (http:\/\/\S+)/.exec(server.output())?.[1], 30_000);
      const head = await fetch(`${base}/`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/text\/html/);
      expect(await head.text()).toBe('');
      expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
      const put = await fetch(`${base}/api/runs`, { method: 'PUT' });
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
      const del = await fetch(`${base}/check`, { method: 'DELETE' });
      expect(del.status).toBe(405);
      expect((await fetch(`${base}/nothing-here`, { method: 'PUT' })).status).toBe(404);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});
