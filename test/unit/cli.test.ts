// The pure parts of the command line: durations and line widths of the progress display, --exclude-url
// patterns, the option definitions every command's help and parser come from.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { fitWidth, formatEta } from '../../src/cli/progress.js';
import { excludedByPattern } from '../../src/crawl/sampler.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditOptionsFrom } from '../../src/audit/option-defs.js';
import { discoverConfigFile, headersFor, loadConfigFile } from '../../src/audit/options.js';

describe('progress', () => {
  it.each([
    [0, '0s'], [59.4, '59s'], [60, '1m00s'], [125, '2m05s'], [3599, '59m59s'], [3600, '1h00m'], [7170, '2h00m'], [7199, '2h00m'], [36_000, '10h00m'],
  ])('%s s reads %s (never "1h60m")', (s, text) => expect(formatEta(s)).toBe(text));

  it('cuts a line to the terminal width, by characters, with an ellipsis', () => {
    expect(fitWidth('short', 80)).toBe('short');
    const long = `pages 3/10 — https://www.example.lv/${'ā'.repeat(200)}`;
    const cut = fitWidth(long, 60);
    expect([...cut]).toHaveLength(59);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('--exclude-url patterns', () => {
  const u = (s: string) => new URL(s);
  it.each([
    ['/en/archive/', 'https://x.lv/en/archive/2001/a', true],
    ['/en/archive/', 'https://x.lv/lv/archive/', false],
    ['*.pdf$', 'https://x.lv/docs/a.pdf', true],
    ['*.pdf$', 'https://x.lv/docs/a.pdf?x=1', false],
    ['*.pdf', 'https://x.lv/docs/a.pdf?x=1', true],
    ['search', 'https://x.lv/search?q=a', true],
    ['https://x.lv/en/', 'https://x.lv/en/news', true],
    ['https://x.lv/en/', 'https://x.lv/lv/news', false],
  ])('%s matches %s: %s', (pattern, url, matches) => expect(excludedByPattern([pattern], u(url))).toBe(matches));
});

describe('command definitions', () => {
  it('no command has an option twice, and every option has help', () => {
    for (const c of COMMANDS) {
      const names = c.options.map((o) => o.name);
      expect(new Set(names).size, c.name).toBe(names.length);
      for (const o of c.options) expect(o.help.length, `${c.name} --${o.name}`).toBeGreaterThan(5);
    }
  });
});

describe('the demo', () => {
  it('falls back to free ports when one of its ports is taken (it stopped with EADDRINUSE)', async () => {
    const { createServer } = await import('node:net');
    const { serveDemoSites } = await import('../../src/cli/demo.js');
    const taken = createServer();
    const port = await new Promise<number>((ok) => taken.listen(0, '127.0.0.1', () => ok((taken.address() as { port: number }).port)));
    const said: string[] = [];
    const saved = process.env.EINDEX_DEMO_PORT;
    delete process.env.EINDEX_DEMO_PORT;
    try {
      const sites = await serveDemoSites(port - 1, (line) => said.push(line));
      try {
        expect(sites).toHaveLength(4);
        expect(sites.some((s) => s.url.includes(`:${port}/`))).toBe(false);
        expect(said).toEqual([`ports ${port - 1}–${port + 2} are taken: serving the demo sites on free ports`]);
        const res = await fetch(sites[0]!.url);
        expect(res.status).toBe(200);
      } finally {
        await Promise.all(sites.map((s) => s.close()));
      }
    } finally {
      if (saved !== undefined) process.env.EINDEX_DEMO_PORT = saved;
      taken.close();
    }
  });
});

describe('the config file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'eindex-config-'));

  it('a mistyped key gets the key it meant; an unknown one the keys there are', () => {
    const typo = join(folder, 'typo.yaml');
    writeFileSync(typo, 'heders:\n  X-Staging: "yes"\n');
    expect(() => loadConfigFile(typo)).toThrow(`config file ${typo}: (top level): unknown key "heders" (did you mean headers?)`);
    writeFileSync(typo, 'colour: blue\n');
    expect(() => loadConfigFile(typo)).toThrow(/unknown key "colour"; known keys: userAgent, contact, headers/);
  });

  it('is found in the folder when --config names none (eindex.yaml, .eindexrc, …), and --config wins', () => {
    expect(discoverConfigFile(folder)).toBeNull();
    writeFileSync(join(folder, '.eindexrc'), '{ "excludeUrls": ["/en/archive/"] }\n');
    expect(discoverConfigFile(folder)).toBe(join(folder, '.eindexrc'));
    expect(auditOptionsFrom({}, folder).excludeUrls).toEqual(['/en/archive/']);
    writeFileSync(join(folder, 'eindex.yaml'), 'excludeUrls: ["/lv/arhivs/"]\n');
    expect(auditOptionsFrom({}, folder).excludeUrls).toEqual(['/lv/arhivs/']);
    const other = join(folder, 'other.yaml');
    writeFileSync(other, 'exclude: ["#chat"]\n');
    expect(auditOptionsFrom({ config: other }, folder)).toMatchObject({ exclude: ['#chat'], excludeUrls: [] });
  });
});

describe('where configured headers go', () => {
  it('the host the operator named, with or without www. and over http or https; no other host', () => {
    const to = headersFor(new URL('https://staging.iestade.lv/'), {})!;
    for (const u of ['https://staging.iestade.lv/x', 'http://staging.iestade.lv/', 'https://www.staging.iestade.lv/']) expect(to(u), u).toBe(true);
    for (const u of ['https://iestade.lv/', 'https://evil.example/staging.iestade.lv', 'https://staging.iestade.lv.evil.example/', 'not a url']) expect(to(u), u).toBe(false);
    expect(headersFor(new URL('https://a.lv/'), { headersForAllHosts: true })).toBeUndefined();
  });
});
