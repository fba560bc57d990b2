// Plain HTTP reads (robots.txt, sitemaps, exploring) are bounded by what they inflate to: a 194 KB .gz
// sitemap peaked at 2.6–3.4 GB before (inflated to ten times the 20 MB cap, then split in one piece).
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchText } from '../../src/gather/http.js';

describe('bounded HTTP reads', () => {
  let server: Server;
  let base = '';
  const bomb = gzipSync(Buffer.alloc(150 * 1024 * 1024, ' '), { level: 9 }); // ~150 KB that inflates to 150 MB
  const sitemap = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${Array.from({ length: 2000 }, (_, i) => `<url><loc>https://x.lv/p${i}</loc></url>`).join('')}</urlset>`;
  const honest = gzipSync(Buffer.from(sitemap));
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/bomb.xml.gz' ? bomb : req.url === '/sitemap.xml.gz' ? honest : Buffer.from(sitemap);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());

  const get = (path: string, maxBytes = 20 * 1024 * 1024) => fetchText(`${base}${path}`, { userAgent: 'eindex-test', timeoutMs: 15_000, maxBytes });

  it('a gzip bomb stops at its ratio with a note, never inflated whole', async () => {
    expect(bomb.length).toBeLessThan(400_000);
    const before = process.memoryUsage().rss;
    const res = await get('/bomb.xml.gz');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.error).toMatch(/inflates more than 100 times its size/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('an honest gzip sitemap is read whole; any body stops at the cap, marked truncated', async () => {
    const res = await get('/sitemap.xml.gz');
    expect(res.text).toBe(sitemap);
    expect(res.truncated).toBeUndefined();
    const capped = await get('/sitemap.xml.gz', 10_000);
    expect(capped.text.length).toBeLessThanOrEqual(10_000);
    expect(capped.truncated).toBe(true);
    const plain = await get('/sitemap.xml', 10_000);
    expect(plain.text).toBe(sitemap.slice(0, 10_000));
    expect(plain.truncated).toBe(true);
  });
});
