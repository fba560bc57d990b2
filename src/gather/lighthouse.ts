// Lighthouse 12 in snapshot mode, on the page Playwright already loaded: one navigation serves axe, the
// mobile checks and Lighthouse. Lighthouse talks to the same Chromium through puppeteer-core.
// Lighthouse keeps process-wide state (performance marks): one run at a time per process, so callers
// go through `lighthouseLock`; parallelism comes from more processes (workers), not more runs here.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { LighthouseResult } from '../schema/result.js';
import { Mutex } from '../util/time.js';
import { errorMessage } from '../util/errors.js';

const require = createRequire(import.meta.url);
export const LIGHTHOUSE_VERSION: string = require('lighthouse/package.json').version;

/** The mobile audits reported beside the accessibility category. */
export const MOBILE_AUDITS = ['viewport', 'font-size', 'target-size'];

export const lighthouseLock = new Mutex();

let config: Promise<object> | undefined;
/**
 * Lighthouse's default config cut down to the accessibility category and the mobile audits: the same
 * audits, weights and artifacts, without resolving ~150 unused audits on every run (~0.15 s).
 */
function snapshotConfig(): Promise<object> {
  config ??= import('lighthouse').then(({ defaultConfig }) => {
    const category = defaultConfig.categories!.accessibility!;
    const wanted = new Set([...category.auditRefs.map((r) => r.id), ...MOBILE_AUDITS]);
    const pathOf = (a: unknown) => (typeof a === 'string' ? a : (a as { path: string }).path);
    return {
      artifacts: defaultConfig.artifacts,
      audits: defaultConfig.audits!.filter((a) => wanted.has(pathOf(a).split('/').pop()!)),
      categories: { accessibility: category },
      groups: defaultConfig.groups,
      settings: {
        onlyCategories: ['accessibility'],
        onlyAudits: MOBILE_AUDITS,
        formFactor: 'mobile',
        screenEmulation: { disabled: true }, // the page is already emulated as a phone
        emulatedUserAgent: false,
        locale: 'en-US',
        // The full-page screenshot (~1 s) only illustrates Lighthouse's own HTML report.
        disableFullPageScreenshot: true,
      },
    };
  });
  return config;
}

type PuppeteerBrowser = import('puppeteer-core').Browser;

let benchmarkSkipped = false;
/**
 * Lighthouse measures the machine (a ~1 CPU-second loop in the page, "BenchmarkIndex") on every run. It
 * only calibrates performance metrics; the accessibility and mobile audits never read it. In snapshot
 * mode we answer it with a constant instead (test/browser/lighthouse.test.ts shows the scores are the
 * same as with the real measurement). Navigation runs for --performance measure for real.
 */
async function skipBenchmarkIndex() {
  if (benchmarkSkipped) return;
  benchmarkSkipped = true;
  const { ExecutionContext } = await import('lighthouse/core/gather/driver/execution-context.js');
  type Evaluate = (this: unknown, mainFn: { name?: string }, options: unknown) => Promise<unknown>;
  const proto = ExecutionContext.prototype as unknown as { evaluate: Evaluate };
  const evaluate = proto.evaluate;
  proto.evaluate = function (mainFn, options) {
    if (mainFn?.name === 'computeBenchmarkIndex' && benchmarkMode === 'skip') return Promise.resolve(BENCHMARK_PLACEHOLDER);
    return evaluate.call(this, mainFn, options);
  };
}
export const BENCHMARK_PLACEHOLDER = 1000;
let benchmarkMode: 'skip' | 'measure' = 'skip';

export class LighthouseRunner {
  #browser: Promise<PuppeteerBrowser> | null = null;
  /** Tests set this to compare against Lighthouse with its own machine benchmark. */
  measureBenchmark = false;
  constructor(private readonly debuggingUrl: string) {}

  async #connect(): Promise<PuppeteerBrowser> {
    this.#browser ??= import('puppeteer-core').then((p) =>
      // defaultViewport null: keep the phone emulation Playwright set on the context.
      p.default.connect({ browserURL: this.debuggingUrl, defaultViewport: null, protocolTimeout: 60_000 }),
    );
    return this.#browser;
  }

  /**
   * Accessibility and mobile audits in snapshot mode; with `performance`, then a navigation-mode run of
   * the performance category in the same tab (performance needs a page load to measure).
   */
  async audit(page: Page, opts: { performance?: boolean } = {}): Promise<LighthouseResult> {
    return lighthouseLock.run(async () => {
      const cdp = await page.context().newCDPSession(page);
      const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
      await cdp.detach().catch(() => {});
      const browser = await this.#connect();
      const target = await browser.waitForTarget((t) => (t as unknown as { _targetId: string })._targetId === targetInfo.targetId, { timeout: 10_000 });
      const ppPage = await target.page();
      if (!ppPage) throw new Error('Lighthouse could not attach to the page');
      const { snapshot, navigation } = await import('lighthouse');
      await skipBenchmarkIndex();
      try {
        benchmarkMode = this.measureBenchmark ? 'measure' : 'skip';
        const result = await snapshot(ppPage as never, { config: await snapshotConfig(), flags: { logLevel: 'error' } });
        const lhr = result?.lhr;
        if (!lhr) throw new Error('Lighthouse returned no result');
        const audits: LighthouseResult['audits'] = {};
        for (const id of MOBILE_AUDITS) {
          const a = lhr.audits[id];
          if (a) audits[id] = { score: a.score, title: a.title };
        }
        const score = lhr.categories.accessibility?.score;
        const out: LighthouseResult = {
          version: lhr.lighthouseVersion,
          mode: 'snapshot' as const,
          accessibility: typeof score === 'number' ? Math.round(score * 100) : null,
          audits,
        };
        if (opts.performance) {
          benchmarkMode = 'measure';
          const perf = await navigation(ppPage as never, page.url(), {
            config: {
              extends: 'lighthouse:default',
              settings: { onlyCategories: ['performance'], formFactor: 'mobile', screenEmulation: { disabled: true }, emulatedUserAgent: false, locale: 'en-US' },
            },
            flags: { logLevel: 'error' },
          });
          const p = perf?.lhr.categories.performance?.score;
          out.performance = typeof p === 'number' ? Math.round(p * 100) : null;
        }
        return out;
      } finally {
        // Detach puppeteer from this page only; the browser connection is reused.
        await (ppPage as unknown as { _client?: () => { detach?: () => Promise<void> } })._client?.()?.detach?.().catch(() => {});
      }
    });
  }

  async close() {
    if (!this.#browser) return;
    const b = await this.#browser.catch(() => null);
    this.#browser = null;
    await b?.disconnect().catch(() => {});
  }
}

export function lighthouseFailure(err: unknown): LighthouseResult {
  return { version: LIGHTHOUSE_VERSION, mode: 'snapshot', accessibility: null, audits: {}, error: errorMessage(err) };
}
