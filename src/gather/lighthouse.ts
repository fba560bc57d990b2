// Lighthouse 12 in snapshot mode, on the page Playwright already loaded: one navigation serves axe, the
// mobile checks and Lighthouse. The runs themselves happen in a small pool of worker threads
// (lighthouse-thread.ts), one run per thread at a time: Lighthouse's global state breaks when two runs
// share a thread, and its ~1 s per page would otherwise be the whole process's bottleneck.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Page } from 'playwright-core';
import type { LighthouseResult } from '../schema/result.js';
import { errorMessage } from '../util/errors.js';
import { Mutex } from '../util/time.js';
import { PROJECT_ROOT } from '../version.js';
import { LighthouseEngine, MOBILE_AUDITS, type EngineOptions } from './lighthouse-engine.js';
import type { ThreadReply, ThreadRequest } from './lighthouse-thread.js';

const require = createRequire(import.meta.url);
export const LIGHTHOUSE_VERSION: string = require('lighthouse/package.json').version;
export { MOBILE_AUDITS };

/** Lighthouse runs at once per process (EINDEX_LIGHTHOUSE_THREADS, default 2: one per core here). */
const THREADS = Math.max(1, Number(process.env.EINDEX_LIGHTHOUSE_THREADS ?? 2));
const THREAD_FILE = join(PROJECT_ROOT, 'dist', 'src', 'gather', 'lighthouse-thread.js');

interface Slot { worker: Worker | null; busy: boolean; pending: Map<number, { resolve: (r: LighthouseResult) => void; reject: (e: Error) => void }> }

class ThreadPool {
  readonly #slots: Slot[] = [];
  readonly #waiting: ((slot: Slot) => void)[] = [];
  #next = 0;
  // Without a build (the compiled thread file), Lighthouse runs in this thread, one at a time.
  readonly #inline = !existsSync(THREAD_FILE);
  readonly #inlineLock = new Mutex();
  readonly #inlineEngines = new Map<string, LighthouseEngine>();

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#slots.push({ worker: null, busy: false, pending: new Map() });
  }

  #start(slot: Slot): Worker {
    const worker = new Worker(THREAD_FILE);
    worker.unref();
    worker.on('message', (m: ThreadReply) => {
      const p = slot.pending.get(m.id);
      slot.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result as LighthouseResult);
    });
    const fail = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      slot.worker = null; // a crashed thread is replaced on next use
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`Lighthouse thread exited (${code})`)));
    return worker;
  }

  async #acquire(): Promise<Slot> {
    const free = this.#slots.find((s) => !s.busy);
    const slot = free ?? (await new Promise<Slot>((resolve) => this.#waiting.push(resolve)));
    slot.busy = true;
    return slot;
  }

  #release(slot: Slot) {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  async audit(debuggingUrl: string, targetId: string, opts: EngineOptions): Promise<LighthouseResult> {
    if (this.#inline) {
      return this.#inlineLock.run(() => {
        let engine = this.#inlineEngines.get(debuggingUrl);
        if (!engine) this.#inlineEngines.set(debuggingUrl, (engine = new LighthouseEngine(debuggingUrl)));
        return engine.audit(targetId, opts);
      });
    }
    const slot = await this.#acquire();
    try {
      slot.worker ??= this.#start(slot);
      const id = this.#next++;
      const worker = slot.worker;
      return await new Promise<LighthouseResult>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        worker.postMessage({ id, debuggingUrl, targetId, opts } satisfies ThreadRequest);
      });
    } finally {
      this.#release(slot);
    }
  }

  /** A browser went away: every thread drops its connection to it. */
  forget(debuggingUrl: string) {
    for (const s of this.#slots) s.worker?.postMessage({ close: debuggingUrl });
    const engine = this.#inlineEngines.get(debuggingUrl);
    this.#inlineEngines.delete(debuggingUrl);
    void engine?.close();
  }
}

let pool: ThreadPool | undefined;
const threads = () => (pool ??= new ThreadPool(THREADS));

/** Lighthouse for the tabs of one browser. */
export class LighthouseRunner {
  /** Tests set this to compare against Lighthouse with its own machine benchmark. */
  measureBenchmark = false;
  constructor(private readonly debuggingUrl: string) {}

  async audit(page: Page, opts: { performance?: boolean } = {}): Promise<LighthouseResult> {
    const cdp = await page.context().newCDPSession(page);
    const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
    await cdp.detach().catch(() => {});
    return threads().audit(this.debuggingUrl, targetInfo.targetId, { ...opts, measureBenchmark: this.measureBenchmark });
  }

  async close() {
    pool?.forget(this.debuggingUrl);
  }
}

export function lighthouseFailure(err: unknown): LighthouseResult {
  return { version: LIGHTHOUSE_VERSION, mode: 'snapshot', accessibility: null, audits: {}, error: errorMessage(err) };
}
