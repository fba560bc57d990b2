// axe-core is injected into the top frame while the page settles. A page whose own script then takes
// the name `axe`, or that replaces its document meanwhile, must still be audited by the real axe-core.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAuditOptions } from '../../src/audit/options.js';
import { scanSite } from '../../src/audit/site.js';
import { BrowserSession } from '../../src/gather/session.js';

const page = (title: string, script: string) => `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1><img src="/x.png" width="10" height="10"></main><script>${script}</script></body></html>`;
// Each acts the moment eindex's axe-core has arrived (it polls for it), before the audit runs it.
const whenAxeArrives = (act: string) => `const t = setInterval(() => { if (typeof window.axe?.run === 'function') { clearInterval(t); ${act} } }, 2);`;
const PAGES: Record<string, string> = {
  // Takes the name axe for a global of its own.
  '/own-axe': page('Own axe', whenAxeArrives("window.axe = { version: 'mine', run: null };")),
  // Replaces its document (same URL, new content, no axe-core in it).
  '/rewrites': page('Rewrites', whenAxeArrives(`document.open(); document.write(${JSON.stringify(page('Rewritten', ''))}); document.close();`.replace(/<\/script>/g, '<\\/script>'))),
};

let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = PAGES[req.url ?? ''];
    if (body) res.writeHead(200, { 'content-type': 'text/html' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((ok) => server.close(ok)));

describe('axe-core injected while the page settles', () => {
  it("is injected again when the page's script took the name or replaced the document", async () => {
    const session = new BrowserSession(false);
    try {
      const r = await scanSite(Object.keys(PAGES).map((p) => new URL(origin + p)), defaultAuditOptions({ crawl: false, lighthouse: false, screenshots: 0 }), session);
      for (const p of r.pages) {
        expect(p.error, p.url).toBeUndefined();
        expect(p.axe!.version).toBe((await import('axe-core')).default.version);
        // The image without alt is found: the real axe-core ran, on the final document.
        expect(p.axe!.violations.map((v) => v.id), p.url).toContain('image-alt');
      }
    } finally {
      await session.close();
    }
  }, 120_000);
});
