// A page's memory is bounded: one allocating 25 MB every 50 ms reached 4 GB and was audited "ok" before;
// now it is stopped at its budget and recorded as an error, and the pages after it are audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditResult } from '../helpers.js';
import { serveSite, type BuiltSite } from '../built-sites.js';

describe('a page that allocates without end', () => {
  let site: BuiltSite;
  beforeAll(async () => {
    const page = (title: string, script = '') => `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1></main>${script}</body></html>`;
    site = await serveSite(new Map([
      // It allocates 25 MB every 50 ms while a request keeps it settling for 3 s.
      ['/hog.html', page('Hog', '<script>const keep = []; setInterval(() => { try { keep.push(new Uint8Array(25e6).fill(1)); } catch {} }, 50); fetch("/slow");</script>')],
      ['/fine.html', page('Fine')],
    ]));
  });
  afterAll(() => site.close());

  it('is stopped at its budget with errorCode "memory"; the next page is audited', async () => {
    const started = Date.now();
    const r = await auditResult(['--no-lighthouse', '--no-crawl', '--page-memory', '300', '--page-timeout', '60', `${site.url}hog.html`, `${site.url}fine.html`]);
    const hog = r.pages.find((p) => p.url.endsWith('/hog.html'));
    const fine = r.pages.find((p) => p.url.endsWith('/fine.html'));
    expect(hog).toMatchObject({ status: 'error', errorCode: 'memory', error: 'the page used more than 300 MB of memory and was stopped' });
    expect(hog!.durationMs).toBeLessThan(20_000);
    expect(fine).toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeLessThan(40_000);
  });
});
