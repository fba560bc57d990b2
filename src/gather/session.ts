// One Chromium per worker slot, reused across pages, relaunched after a crash and recycled after a number
// of pages (a browser reused for hundreds of loads grows).
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { LighthouseRunner } from './lighthouse.js';

export class BrowserSession {
  #browser: Browser | null = null;
  #launching: Promise<Browser> | null = null;
  #lighthouse: LighthouseRunner | null = null;
  #pages = 0;
  #inUse = 0;
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

  release() {
    this.#inUse = Math.max(0, this.#inUse - 1);
  }

  async #drop() {
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
