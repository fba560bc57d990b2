// One Chromium per worker slot, reused across pages, relaunched after a crash and recycled after a number
// of pages (a browser reused for hundreds of loads grows).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { LighthouseRunner } from './lighthouse.js';
import { withDeadline } from '../util/time.js';
import { hostsShown } from './page.js';

export class BrowserSession {
  #browser: Browser | null = null;
  #launching: Promise<Browser> | null = null;
  #lighthouse: LighthouseRunner | null = null;
  #pages = 0;
  #inUse = 0;
  #kept: KeptContext | null = null;
  version = '';
  launches = 0;

  constructor(readonly withLighthouse: boolean, private readonly recycleAfterPages = 150, private readonly proxy?: string) {}

  /** A connected browser; call `release()` when the page is done with it. */
  async acquire(): Promise<{ browser: Browser; lighthouse: LighthouseRunner | null }> {
    if (this.#browser && !this.#browser.isConnected()) await this.#drop();
    if (this.#browser && this.#pages >= this.recycleAfterPages && this.#inUse === 0) await this.#drop();
    if (!this.#browser) {
      this.#launching ??= (async () => {
        const launched = await launchBrowser({ lighthouse: this.withLighthouse, proxy: this.proxy });
        this.launches++;
        this.version = launched.version;
        this.#lighthouse = launched.debuggingUrl ? new LighthouseRunner(launched.debuggingUrl) : null;
        this.#pages = 0;
        this.#browser = launched.browser;
        return launched.browser;
      })().finally(() => (this.#launching = null));
      await this.#launching;
    }
    this.#pages++;
    this.#inUse++;
    return { browser: this.#browser!, lighthouse: this.#lighthouse };
  }

  /**
   * The browser context a previous site left (see keepContext), when it was made with the same options
   * (`key`) in this browser and has never shown a page of `host`: its cookies cleared, it is this site's.
   * A new context per site costs the first tab of each a renderer process of its own for the blank page
   * before the site's (about 0.4 CPU-s on a one-page site); a kept one has a blank tab kept open for that.
   */
  async adoptContext(browser: Browser, key: string, host: string): Promise<BrowserContext | null> {
    const kept = this.#kept;
    this.#kept = null;
    if (!kept) return null;
    // Only its blank tab in it: a tab that opened since (a pop-up chain of the last site) condemns it.
    const quiet = kept.context.pages().every((p) => p === kept.blank);
    if (quiet && kept.browser === browser && browser.isConnected() && kept.key === key && !kept.hostsSeen.has(host)) {
      try {
        await kept.context.clearCookies();
        await kept.context.clearPermissions();
        return kept.context;
      } catch { /* the context is gone: a new one */ }
    }
    await withDeadline('closing a context', 10_000, kept.context.close()).catch(() => {});
    return null;
  }

  /** Keeps a site's context for the next site (closing any kept before); `hosts` it has shown pages of. */
  async keepContext(browser: Browser, key: string, context: BrowserContext, hosts: Set<string>) {
    const before = this.#kept;
    this.#kept = null;
    if (before && before.context !== context) await before.context.close().catch(() => {});
    try {
      const past = PAST.get(context) ?? { blank: await context.newPage(), hostsSeen: new Set<string>() };
      PAST.set(context, past);
      // Nothing of the site goes on running in it: a pop-up whose opener closed first is still open.
      // A tab that will not close condemns the context (closed, not kept).
      await withDeadline('closing a leftover tab', 5000, Promise.all(context.pages().filter((p) => p !== past.blank).map((p) => p.close({ runBeforeUnload: false }))));
      for (const h of [...hosts, ...hostsShown(context)]) past.hostsSeen.add(h);
      this.#kept = { browser, key, context, ...past };
    } catch {
      await withDeadline('closing a context', 10_000, context.close()).catch(() => {});
    }
  }

  release() {
    this.#inUse = Math.max(0, this.#inUse - 1);
  }

  /** The browser is replaced once no page uses it (a page went over its memory budget in it). */
  recycleSoon() {
    this.#pages = Math.max(this.#pages, this.recycleAfterPages);
  }

  async #drop() {
    this.#kept = null; // it goes with its browser
    const b = this.#browser;
    const lh = this.#lighthouse;
    this.#browser = null;
    this.#lighthouse = null;
    await lh?.close();
    await b?.close().catch(() => {});
  }

  async close() {
    await this.#launching?.catch(() => {});
    await this.#drop();
  }
}

/**
 * What a context has been through, kept across the sites it serves: the blank tab it holds open (never
 * audited, never closed before its context), and the hosts whose pages it has shown (their local storage
 * is in it, so it is never theirs again).
 */
interface ContextPast { blank: Page; hostsSeen: Set<string> }
interface KeptContext extends ContextPast { browser: Browser; key: string; context: BrowserContext }
const PAST = new WeakMap<BrowserContext, ContextPast>();
