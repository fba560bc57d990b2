// Explored pages' HTML is read off the main thread, each page within a time bound: a hostile page that
// reads slowly no longer freezes the process (a BullMQ worker lost its job's lock so; the dashboard's
// checks waited), and a page over the bound is left unread, its thread replaced, the rest of the site read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteExplorer } from '../../src/audit/explore.js';
import { defaultAuditOptions } from '../../src/audit/options.js';
import { openScan } from '../../src/audit/scan.js';
import { readPageShape } from '../../src/crawl/page-shape.js';
import type { BrowserSession } from '../../src/gather/session.js';
import { ShapeThread } from '../../src/gather/shape-reader.js';
import { DeadlineError } from '../../src/util/errors.js';

/** 3 MB of unclosed paragraphs: the slowest shape known for the reader, about 3 s here. */
const HOSTILE = `<html lang="lv"><body><a href="/first">First</a>${'<p>x'.repeat(3 * 1024 * 1024 / 4)}`;
const PAGE = (title: string, links: string[]) => `<!doctype html><html lang="lv"><head><title>${title}</title></head>
<body><main class="content"><h1>${title}</h1>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</main></body></html>`;

/** The longest the event loop went without a turn while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = Date.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    stallMs = Math.max(stallMs, Date.now() - last);
    last = Date.now();
  }, 10);
  try {
    const value = await work();
    stallMs = Math.max(stallMs, Date.now() - last);
    return { value, stallMs };
  } finally {
    clearInterval(tick);
  }
}

describe('ShapeThread', () => {
  it('reads a page as the reader does, on another thread', async () => {
    const thread = new ShapeThread();
    try {
      const html = PAGE('Sākums', ['/par', '/kontakti']);
      expect(await thread.read(html, 'https://novads.lv/')).toEqual(readPageShape(html, 'https://novads.lv/'));
    } finally {
      await thread.close();
    }
  });

  it('a page over the bound is stopped mid-read, the event loop turning all along; the next page gets a new thread', async () => {
    const thread = new ShapeThread(500);
    try {
      expect((await thread.read(PAGE('Sākums', []), 'https://novads.lv/')).title).toBe('Sākums'); // the thread started
      const started = Date.now();
      const { value, stallMs } = await longestStall(() => thread.read(HOSTILE, 'https://novads.lv/').then(() => null, (err: unknown) => err));
      expect(value).toBeInstanceOf(DeadlineError);
      expect(Date.now() - started).toBeLessThan(1500); // stopped at the bound, not read to its end (2 to 3 s)
      expect(stallMs).toBeLessThan(1000); // on the main thread this page stalls it 2 to 3 s
      expect((await thread.read(PAGE('Par', []), 'https://novads.lv/par')).title).toBe('Par');
    } finally {
      await thread.close();
    }
  });
});

describe('exploring a site with a hostile page', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/slow' ? HOSTILE : req.url === '/' ? PAGE('Sākums', ['/slow', '/par']) : PAGE(`Lapa ${req.url}`, ['/']);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());

  it('reads the rest of the site, says which page it could not read, and never stalls the process', async () => {
    const scan = openScan([new URL(base)], defaultAuditOptions({ lighthouse: false }), {} as BrowserSession, {});
    const thread = new ShapeThread(500);
    try {
      const explorer = new SiteExplorer(scan.sampler, scan.http, scan.pacer, 2, undefined, thread);
      const { stallMs } = await longestStall(async () => {
        await explorer.addStart(base);
        await explorer.explore(10, Date.now() + 30_000);
      });
      const read = Object.fromEntries(explorer.explored.map((p) => [new URL(p.url).pathname, p.shape?.title ?? null]));
      expect(read).toEqual({ '/': 'Sākums', '/slow': null, '/par': 'Lapa /par' });
      expect(explorer.notes).toEqual([expect.stringMatching(new RegExp(`^1 explored page could not be read, their links not followed: ${base}slow \\(not read within 500 ms\\)$`))]);
      expect(stallMs).toBeLessThan(1000); // read on the main thread: 2 to 3 s
    } finally {
      await thread.close();
    }
  });
});
