// The browser contexts one site's pages are audited in: one per site and browser, so cookies and a login
// persist across the site's pages. A context that has to go (one of its tabs would not close) is retired:
// later pages get a fresh one, and it is closed when the last page still using it is done, since closing
// it at once would kill those. Without a login, the context the previous site of this session left is
// taken over (cookies cleared, never one that has shown this host before): a new context per site costs
// a renderer process more.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newAuditContext, type TabPool } from '../gather/page.js';
import type { BrowserSession } from '../gather/session.js';
import { withDeadline } from '../util/time.js';

export interface ContextLease { browser: Browser; context: Promise<BrowserContext>; users: number; broken: boolean; idle: Page[] }

type ContextOptions = Parameters<typeof newAuditContext>[1];

export class SiteContexts {
  readonly #leases = new Map<Browser, ContextLease>();
  readonly #key: string;

  constructor(
    private readonly session: BrowserSession,
    private readonly options: Omit<ContextOptions, 'storageState'>,
    private readonly storageState: ContextOptions['storageState'],
    private readonly host: string,
  ) {
    this.#key = JSON.stringify(options);
  }

  get #shareable() {
    // A context with a login, or with headers scoped to this site's hosts, is this site's alone.
    return !this.storageState && !(this.options.headersFor && Object.keys(this.options.headers).length);
  }

  lease(browser: Browser): ContextLease {
    let lease = this.#leases.get(browser);
    if (!lease) {
      const fresh = () => newAuditContext(browser, { ...this.options, storageState: this.storageState });
      const context = this.#shareable ? this.session.adoptContext(browser, this.#key, this.host).then((c) => c ?? fresh()) : fresh();
      lease = { browser, context, users: 0, broken: false, idle: [] };
      this.#leases.set(browser, lease);
    }
    lease.users++;
    return lease;
  }

  /** The context's tabs a page of this site may be audited in after another (none once it is retired). */
  tabs(lease: ContextLease): TabPool {
    return {
      take: () => {
        for (let tab = lease.idle.pop(); tab; tab = lease.idle.pop()) if (!tab.isClosed() && !lease.broken) return tab;
        return undefined;
      },
      keep: (tab) => (lease.broken ? void tab.close({ runBeforeUnload: false }).catch(() => {}) : lease.idle.push(tab)),
    };
  }

  release(lease: ContextLease) {
    lease.users--;
    if (lease.broken && this.#leases.get(lease.browser) === lease) this.#leases.delete(lease.browser);
    if (lease.broken && lease.users === 0) void close(lease);
  }

  /** The site is done: each context is handed to the session for the next site, or closed. */
  async finish(hosts: Set<string>) {
    await Promise.all([...this.#leases.values()].map(async (lease) => {
      lease.idle = []; // closed with the context, or by keepContext (it keeps only its blank tab)
      if (this.#shareable && !lease.broken && lease.browser.isConnected()) {
        const context = await lease.context.catch(() => null);
        if (context) return this.session.keepContext(lease.browser, this.#key, context, hosts);
      }
      return close(lease);
    }));
  }
}

const close = (lease: ContextLease): Promise<void> =>
  lease.context.then((ctx) => withDeadline('closing a context', 10_000, ctx.close())).catch(() => {});
