// Lighthouse 12 in snapshot mode, on the page Playwright already loaded: one navigation serves axe, the
// mobile checks and Lighthouse. Lighthouse talks to the same Chromium through puppeteer-core, from a
// process of its own per browser (Lighthouse keeps process-wide state: one run at a time per process).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { LighthouseResult } from '../schema/result.js';
import { IpcChild } from '../util/ipc-child.js';
import { errorMessage } from '../util/errors.js';
import { PROJECT_ROOT } from '../version.js';
import type { LighthouseAxeArtifact } from './axe.js';

const require = createRequire(import.meta.url);
export const LIGHTHOUSE_VERSION: string = require('lighthouse/package.json').version;

/** The mobile audits reported beside the accessibility category. */
export const MOBILE_AUDITS = ['viewport', 'font-size', 'target-size'];

let config: Promise<object> | undefined;
/** The artifact of the request under way (one request at a time per Lighthouse process). */
let sharedArtifact: LighthouseAxeArtifact | null = null;
/**
 * Lighthouse's default config cut down to the accessibility category and the mobile audits: the same
 * audits, weights and artifacts, without resolving ~150 unused audits on every run (~0.15 s).
 */
function snapshotConfig(): Promise<object> {
  config ??= Promise.all([import('lighthouse'), import('lighthouse/core/gather/gatherers/accessibility.js')]).then(([{ defaultConfig }, { default: Accessibility }]) => {
    // Lighthouse's own accessibility gatherer, except that it hands over eindex's axe run when there is one.
    class SharedAxeRun extends Accessibility {
      override getArtifact(context: Parameters<InstanceType<typeof Accessibility>['getArtifact']>[0]) {
        return sharedArtifact ? Promise.resolve(sharedArtifact as never) : super.getArtifact(context);
      }
    }
    const shared = new SharedAxeRun();
    const artifacts = defaultConfig.artifacts!.map((a) => (a.id === 'Accessibility' ? { id: a.id, gatherer: { instance: shared } } : a));
    const category = defaultConfig.categories!.accessibility!;
    const wanted = new Set([...category.auditRefs.map((r) => r.id), ...MOBILE_AUDITS]);
    const pathOf = (a: unknown) => (typeof a === 'string' ? a : (a as { path: string }).path);
    return {
      artifacts,
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

export type PuppeteerBrowser = import('puppeteer-core').Browser;

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

/** What the Lighthouse process is asked: audit this tab of this browser. */
export interface LighthouseRequest {
  id: number; debuggingUrl: string; targetId: string; url: string; performance: boolean; measureBenchmark: boolean;
  /** eindex's axe-core run, as Lighthouse's accessibility gatherer would have produced it; null: Lighthouse runs axe itself. */
  accessibility: LighthouseAxeArtifact | null;
}
export type LighthouseReply = { id: number; result: LighthouseResult } | { id: number; error: string };

/**
 * Runs in the Lighthouse process (lighthouse-process.ts): accessibility and mobile audits in snapshot
 * mode on the tab `targetId`; with `performance`, then a navigation-mode run of the performance category
 * in the same tab (performance needs a page load to measure).
 */
export async function auditTarget(browser: PuppeteerBrowser, req: LighthouseRequest): Promise<LighthouseResult> {
  const target = await browser.waitForTarget((t) => (t as unknown as { _targetId: string })._targetId === req.targetId, { timeout: 10_000 });
  const ppPage = await target.page();
  if (!ppPage) throw new Error('Lighthouse could not attach to the page');
  const { snapshot, navigation } = await import('lighthouse');
  await skipBenchmarkIndex();
  try {
    benchmarkMode = req.measureBenchmark ? 'measure' : 'skip';
    sharedArtifact = req.accessibility;
    const result = await snapshot(ppPage as never, { config: await snapshotConfig(), flags: { logLevel: 'error' } }).finally(() => (sharedArtifact = null));
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
      accessibilityFrom: req.accessibility ? 'eindex-axe-run' : 'lighthouse-axe-run',
      audits,
    };
    if (req.performance) {
      benchmarkMode = 'measure';
      const perf = await navigation(ppPage as never, req.url, {
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
}

/** Longer than any page budget: only a Lighthouse process that hangs for good meets it, and is killed. */
const REQUEST_TIMEOUT_MS = 180_000;
const CHILD = join(PROJECT_ROOT, 'dist', 'src', 'gather', 'lighthouse-process.js');

/**
 * Lighthouse for one browser, in a process of its own. Lighthouse keeps process-wide state (two runs in
 * one process crash), so a process shared by several browsers would make them wait on one another; with
 * a process each, the browsers of a run audit side by side. One run at a time per browser (the lock); the
 * process starts on first use, is replaced after it dies or hangs, and exits with its parent.
 */
export class LighthouseRunner {
  readonly #child = new IpcChild<LighthouseRequest, LighthouseReply>(CHILD, 'Lighthouse process', false);
  #next = 0;
  /** Tests set this to compare against Lighthouse with its own machine benchmark. */
  measureBenchmark = false;
  constructor(private readonly debuggingUrl: string) {}

  /** The Lighthouse process's pid while one runs (diagnostics and tests). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  async audit(page: Page, opts: { performance?: boolean; accessibility?: LighthouseAxeArtifact | null } = {}): Promise<LighthouseResult> {
    const cdp = await page.context().newCDPSession(page);
    const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
    await cdp.detach().catch(() => {});
    const request: LighthouseRequest = { id: ++this.#next, debuggingUrl: this.debuggingUrl, targetId: targetInfo.targetId, url: page.url(), performance: !!opts.performance, measureBenchmark: this.measureBenchmark, accessibility: opts.accessibility ?? null };
    return this.#child.ask<LighthouseResult>(request, 'Lighthouse', REQUEST_TIMEOUT_MS, (reply, settle) => {
      if ('result' in reply) settle.resolve(reply.result);
      else settle.reject(new Error(reply.error));
    });
  }

  /** The process disconnects from the browser and exits. */
  close() {
    return this.#child.close(5000);
  }
}

export function lighthouseFailure(err: unknown): LighthouseResult {
  return { version: LIGHTHOUSE_VERSION, mode: 'snapshot', accessibility: null, audits: {}, error: errorMessage(err) };
}
