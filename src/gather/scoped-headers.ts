// The config's extra request headers (an Authorization for a staging site, say) go to the audited site's
// own host only, judged request by request and hop by hop: a redirect from the site to another host is a
// new request, sent without them. Playwright's routes cannot do this (the headers a route continues a
// request with ride every redirect Chromium follows for it), so the tab's own DevTools session pauses each
// request (Fetch, at the request stage: a redirect hop is paused as a request of its own) and continues it
// with the headers or without. Continued, not fetched here and fulfilled: the document keeps its address,
// so the browser's private-network rules and an egress proxy see the page as they would without headers.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { tabSession } from './tab-session.js';

interface Scope { headers: [string, string][]; names: Set<string>; goesTo: (url: string) => boolean }

const SCOPES = new WeakMap<BrowserContext, Scope>();

/** The headers a context's tabs add to the requests `goesTo` accepts (and take off any other); `goesTo` must not throw. */
export function scopeHeaders(context: BrowserContext, headers: Record<string, string>, goesTo: (url: string) => boolean) {
  const entries = Object.entries(headers);
  SCOPES.set(context, { headers: entries, names: new Set(entries.map(([k]) => k.toLowerCase())), goesTo });
}

/** A new tab of the context, its requests judged before the first leaves (see scopeHeaders). */
export async function openTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const scope = SCOPES.get(context);
  if (scope) await judgeRequests(await tabSession(page), scope);
  return page;
}

interface Paused { requestId: string; request: { url: string; headers: Record<string, string> } }

async function judgeRequests(session: CDPSession, scope: Scope) {
  session.on('Fetch.requestPaused', (e: Paused) => {
    // The request's own headers without ours (a redirect hop's are the request's it came from), then
    // ours where they may go. The cookie is the network stack's to add: it is not set here.
    const headers = Object.entries(e.request.headers)
      .filter(([name]) => !scope.names.has(name.toLowerCase()) && name.toLowerCase() !== 'cookie')
      .map(([name, value]) => ({ name, value }));
    if (scope.goesTo(e.request.url)) for (const [name, value] of scope.headers) headers.push({ name, value });
    session.send('Fetch.continueRequest', { requestId: e.requestId, headers }).catch(() => {}); // the tab closed, the request was cancelled
  });
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
}

