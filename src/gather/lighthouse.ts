// Lighthouse 12 in snapshot mode, on the page Playwright already loaded: one navigation serves axe, the
// mobile checks and Lighthouse. Lighthouse talks to the same Chromium through puppeteer-core, from a
// process of its own per browser (Lighthouse keeps process-wide state: one run at a time per process).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { LighthouseResult } from '../schema/result.js';
import { IpcChild } from '../util/ipc-child.js';
import { errorMessage } from '../util/errors.js';
import { PROJECT_ROOT } from '../version.js';
import type { LighthouseAxeArtifact } from './axe.js';
import { tabSession } from './tab-session.js';

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

let resolved: Promise<unknown> | undefined;
/**
 * Once per process (again after a failure): Lighthouse's log at its error level, as snapshot() sets it on
 * each call (lighthouse-logger, its dependency, found from it), and the snapshot config resolved.
 */
function resolvedSnapshotConfig(): Promise<unknown> {
  if (!resolved) {
    resolved = (async () => {
      const logger = createRequire(require.resolve('lighthouse')).resolve('lighthouse-logger');
      ((await import(pathToFileURL(logger).href)) as { default: { setLevel(l: string): void } }).default.setLevel('error');
      const { initializeConfig } = await import('lighthouse/core/config/config.js');
      return (await initializeConfig('snapshot', (await snapshotConfig()) as never, { logLevel: 'error' })).resolvedConfig;
    })();
    resolved.catch(() => (resolved = undefined));
  }
  return resolved;
}

/**
 * Lighthouse's snapshot() (its snapshotGather, then Runner.audit) with the config resolved once per process
 * instead of on every page: resolving it (~80 ms of CPU, mostly formatting the audits' messages) gives
 * the same config each time, and its four gatherers (Accessibility, FontSize, MetaElements, Stacks) keep
 * no state between runs. The steps and their order are Lighthouse 12's own.
 */
async function snapshotWithResolvedConfig(ppPage: unknown) {
  const [{ Driver }, { Runner }, helpers, base] = await Promise.all([
    import('lighthouse/core/gather/driver.js'), import('lighthouse/core/runner.js'),
    import('lighthouse/core/gather/runner-helpers.js'), import('lighthouse/core/gather/base-artifacts.js'),
  ]);
  const resolvedConfig = (await resolvedSnapshotConfig()) as Parameters<typeof Runner.audit>[1]['resolvedConfig'];
  const driver = new Driver(ppPage as never);
  await driver.connect();
  const computedCache = new Map();
  const url = await driver.url();
  const artifacts = await Runner.gather(async () => {
    const baseArtifacts = await base.getBaseArtifacts(resolvedConfig, driver, { gatherMode: 'snapshot' });
    baseArtifacts.URL = { finalDisplayedUrl: url };
    const artifactState = helpers.getEmptyArtifactState();
    await helpers.collectPhaseArtifacts({
      phase: 'getArtifact', gatherMode: 'snapshot', driver, page: ppPage as never, baseArtifacts,
      artifactDefinitions: resolvedConfig.artifacts ?? [], artifactState, computedCache, settings: resolvedConfig.settings,
    });
    await driver.disconnect();
    return base.finalizeArtifacts(baseArtifacts, await helpers.awaitArtifacts(artifactState));
  }, { resolvedConfig, computedCache });
  return Runner.audit(artifacts, { resolvedConfig, computedCache });
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

let formattingMemoized = false;
/**
 * Lighthouse formats every audit's title and description through intl-messageformat, which for each
 * message asks ICU which locale is supported and parses the message again: ~50 ms of CPU a page, the
 * same answers each time. Both are pure functions of their arguments (a locale, a message and its
 * options) and their results are not changed by their users, so they are remembered for the process.
 */
function memoizeMessageFormatting() {
  if (formattingMemoized) return;
  formattingMemoized = true;
  // Lighthouse's own copy of the package (a CommonJS module: one instance however it is loaded).
  const { IntlMessageFormat } = createRequire(require.resolve('lighthouse'))('intl-messageformat') as { IntlMessageFormat: MessageFormatStatics };
  const resolveLocale = IntlMessageFormat.resolveLocale;
  const parse = IntlMessageFormat.__parse;
  const locales = new Map<string, unknown>();
  const asts = new Map<string, unknown>();
  IntlMessageFormat.resolveLocale = (l) => {
    const key = JSON.stringify(l);
    if (!locales.has(key)) locales.set(key, resolveLocale(l));
    return locales.get(key);
  };
  IntlMessageFormat.__parse = (message, opts) => {
    const key = `${String(opts?.locale)}\u0000${JSON.stringify(opts)}\u0000${message}`;
    if (!asts.has(key)) {
      if (asts.size >= MAX_MESSAGES) asts.clear(); // a message made of a page's text must not grow it for ever
      asts.set(key, parse(message, opts));
    }
    return asts.get(key);
  };
}
const MAX_MESSAGES = 5000;
interface MessageFormatStatics { resolveLocale(l: unknown): unknown; __parse(message: string, opts?: { locale?: unknown }): unknown }
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
  const { navigation } = await import('lighthouse');
  await skipBenchmarkIndex();
  memoizeMessageFormatting();
  try {
    benchmarkMode = req.measureBenchmark ? 'measure' : 'skip';
    sharedArtifact = req.accessibility;
    const result = await snapshotWithResolvedConfig(ppPage).finally(() => (sharedArtifact = null));
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
    // Detach puppeteer from this page only; the browser connection is reused. The tab may serve another
    // page of the site: puppeteer, which keeps one page object per tab, is made to build a new one then
    // (its detached one would read the old document's URL and frames).
    await (ppPage as unknown as { _client?: () => { detach?: () => Promise<void> } })._client?.()?.detach?.().catch(() => {});
    (target as unknown as { pagePromise?: unknown }).pagePromise = undefined;
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
    const { targetInfo } = (await (await tabSession(page)).send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
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
