// Test sites that take a few seconds to audit: every page answers after a delay and links to more.
import { createServer, type Server } from 'node:http';

/** `hits`: requests per path, so a test can tell how often the site was audited (its start page `/`). */
export interface SlowSite { url: string; close(): Promise<void>; hits: Map<string, number> }

export async function serveSlowSite(delayMs: number, pages = 3): Promise<SlowSite> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/robots.txt' || path === '/sitemap.xml' || path === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    const links = Array.from({ length: pages }, (_, i) => `<li><a href="/p${i}">Page ${i}</a></li>`).join('');
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Slow ${path}</title></head><body><main><h1>Slow ${path}</h1><ul>${links}</ul></main></body></html>`,
      );
    }, delayMs);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    hits,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
