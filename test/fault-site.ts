// A site that does everything the web does wrong. Each route is one injected fault; `/` links them all.
import { createServer, type Server, type ServerResponse } from 'node:http';

const html = (title: string, body = '', head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${head}</head><body><main><h1>${title}</h1>${body}</main></body></html>`;

/** Latvian text encoded as windows-1257, as old municipal sites still serve it. */
function win1257(text: string): Buffer {
  const map: Record<string, number> = { 'ā': 0xe2, 'č': 0xe8, 'ē': 0xe7, 'ģ': 0xec, 'ī': 0xee, 'ķ': 0xed, 'ļ': 0xef, 'ņ': 0xf2, 'š': 0xf0, 'ū': 0xfb, 'ž': 0xfe, 'Ā': 0xc2, 'Š': 0xd0 };
  return Buffer.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

export const FAULT_PAGES: Record<string, string> = {
  '/never': 'never answers',
  '/trickle': 'answers one byte every 2 s, forever',
  '/500': 'HTTP 500',
  '/503': 'HTTP 503 with Retry-After, every time',
  '/loop': 'redirects in a loop',
  '/away': 'redirects to an unreachable host',
  '/calendar?d=0': 'an endless calendar of links',
  '/huge': '60,000 elements',
  '/dialogs': 'alert, confirm and beforeunload dialogs',
  '/popups': 'a pop-up storm',
  '/download': 'a PDF download instead of a page',
  '/spin': 'a script that spins forever after load',
  '/navigates': 'navigates away while being audited',
  '/oom': 'its renderer runs out of memory',
  '/lv1257': 'a windows-1257 page',
  '/secret/page': 'disallowed by a malformed robots.txt',
};
export const NORMAL_PAGES = ['/ok-1', '/ok-2', '/ok-3'];

export async function serveFaultSite(): Promise<{ url: string; close(): Promise<void>; hits: string[] }> {
  const hits: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname + url.search);
    const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
    switch (url.pathname) {
      case '/': return send(200, html('Fault site', `<ul>${[...Object.keys(FAULT_PAGES), ...NORMAL_PAGES].map((p) => `<li><a href="${p}">${p}</a></li>`).join('')}</ul>`));
      case '/robots.txt': return send(200, '\uFEFF<html>oops</html>\nUSER-AGENT *\nDisalow /secret\nCrawl-delay: none\n', { 'content-type': 'text/plain' });
      case '/sitemap.xml': {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.write('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
        for (let i = 0; i < 50_000; i++) res.write(`<url><loc>http://${req.headers.host}/calendar?d=${1000 + i}</loc></url>`);
        return res.end('</urlset>');
      }
      case '/never': hanging.add(res); return;
      case '/trickle': {
        hanging.add(res);
        res.writeHead(200, { 'content-type': 'text/html' });
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('<')), 2000);
        return;
      }
      case '/500': return send(500, 'broken');
      case '/503': return send(503, 'maintenance', { 'retry-after': '1' });
      case '/loop': return send(302, '', { location: '/loop2' });
      case '/loop2': return send(302, '', { location: '/loop' });
      case '/away': return send(302, '', { location: 'http://127.0.0.1:9/' });
      case '/calendar': {
        const d = Number(url.searchParams.get('d') ?? 0);
        return send(200, html(`Day ${d}`, `<a href="/calendar?d=${d - 1}">previous</a> <a href="/calendar?d=${d + 1}">next</a>`));
      }
      case '/huge': return send(200, html('Huge', `<div>${'<span>x</span>'.repeat(60_000)}</div>`));
      case '/dialogs': return send(200, html('Dialogs', '', `<script>alert('hi');confirm('sure?');addEventListener('beforeunload',e=>{e.preventDefault();e.returnValue='stay'})</script>`));
      case '/popups': return send(200, html('Popups', '', `<script>for(let i=0;i<50;i++)window.open('/ok-1?p='+i)</script>`));
      case '/download': return send(200, '%PDF-1.4\n%fake\n', { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' });
      case '/spin': return send(200, html('Spin', '', `<script>addEventListener('load',()=>setTimeout(()=>{for(;;){}},0))</script>`));
      case '/navigates': return send(200, html('Navigates', '', `<script>setTimeout(()=>location.href='/ok-1?from=navigates',300)</script>`));
      case '/oom': return send(200, html('OOM', '', `<script>addEventListener('load',()=>{const a=[];for(;;)a.push(new Array(1e6).fill(Math.random()))})</script>`));
      case '/lv1257': return send(200, win1257(`<!doctype html><html lang="lv"><head><meta charset="windows-1257"><title>Piekļūstamība un paziņojumi</title></head><body><main><h1>Šī ir vecā lapa</h1></main></body></html>`), { 'content-type': 'text/html; charset=windows-1257' });
      default:
        if (NORMAL_PAGES.includes(url.pathname)) return send(200, html(`Normal ${url.pathname}`, '<p>Nothing wrong here.</p>'));
        return send(404, html('Not found'));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    hits,
    close: () => new Promise<void>((ok) => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
