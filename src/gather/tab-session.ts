// One DevTools session per tab for eindex's own protocol calls (axe-core's injection, the memory watch,
// Lighthouse's target lookup, the evidence screenshots): attaching and detaching a session costs the
// browser and the renderer ~10 ms of CPU each time, four times a page before. The session ends with the
// tab; nothing it is used for leaves state on it (no override set; the one domain enabled, Fetch, is the
// configured headers' on a tab opened for them: scoped-headers.ts).
import type { CDPSession, Page } from 'playwright-core';

const sessions = new WeakMap<Page, Promise<CDPSession>>();

export function tabSession(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
    session.catch(() => sessions.delete(page));
  }
  return session;
}
