// Explored pages' HTML is read on a thread of its own (gather/shape-thread.ts), one page at a time, each
// within a time bound: the reader is linear and capped, but a hostile page can still make it work for
// seconds, and on the main thread those seconds froze everything else the process does (a BullMQ worker
// lost its job's lock, the dashboard's checks waited). A page over the bound has its thread terminated
// (which stops it mid-parse) and is unread; the next page starts a new thread. One thread per process,
// shared by the sites it audits: a page waits for the pages before it, never longer than their bounds.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PageShape } from '../crawl/page-shape.js';
import { PROJECT_ROOT } from '../version.js';
import { Mutex, withDeadline } from '../util/time.js';
import type { ShapeReply, ShapeRequest } from './shape-thread.js';

const THREAD = join(PROJECT_ROOT, 'dist', 'src', 'gather', 'shape-thread.js');
type Answer = Exclude<ShapeReply, { ready: true }>;

/** A page's reading bound: the largest page read (3 MB) of the worst shape known reads in about 3 s. */
export const SHAPE_TIMEOUT_MS = 10_000;
/** Starting a thread (a new process's first page, or after one overran): far longer than it takes. */
const START_TIMEOUT_MS = 30_000;
/** The thread's heap: a page's shape is capped far below, so only a hostile page comes near it. */
const HEAP_MB = 512;

export class ShapeThread {
  #thread: { worker: Worker; ready: Promise<void> } | null = null;
  #next = 0;
  readonly #lock = new Mutex();
  readonly #waiting = new Map<number, { settle(reply: Answer): void; worker: Worker }>();

  constructor(private readonly timeoutMs = SHAPE_TIMEOUT_MS) {}

  /**
   * The page's shape; rejects past the bound (a DeadlineError) or when the thread failed. The bound is the
   * reading's own: a thread being started (its code loaded, slow on a busy machine) is waited for apart.
   */
  read(html: string, url: string): Promise<PageShape> {
    return this.#lock.run(async () => {
      const { worker, ready } = this.#start();
      const id = this.#next++;
      const reply = new Promise<Answer>((settle) => this.#waiting.set(id, { settle, worker }));
      worker.ref();
      try {
        await withDeadline('starting the page reader', START_TIMEOUT_MS, ready, () => this.#end(worker));
        worker.postMessage({ id, html, url } satisfies ShapeRequest);
        const r = await withDeadline('reading the page', this.timeoutMs, reply, () => this.#end(worker));
        if ('error' in r) throw new Error(r.error);
        return r.shape;
      } finally {
        this.#waiting.delete(id);
        worker.unref(); // an idle thread keeps no process alive
      }
    });
  }

  #start(): { worker: Worker; ready: Promise<void> } {
    if (this.#thread) return this.#thread;
    // No inherited loader flags (a test runner's): the thread is plain compiled JavaScript.
    const worker = new Worker(THREAD, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
    let started = () => {};
    let failedToStart = (_: Error) => {};
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failedToStart = reject;
    });
    ready.catch(() => {});
    worker.on('message', (r: ShapeReply) => ('ready' in r ? started() : this.#waiting.get(r.id)?.settle(r)));
    const failed = (why: string) => {
      if (this.#thread?.worker === worker) this.#thread = null;
      failedToStart(new Error(why));
      for (const [id, w] of this.#waiting) if (w.worker === worker) w.settle({ id, error: why });
    };
    worker.on('error', (err) => failed(`the page reader failed (${err.message})`));
    worker.on('exit', (code) => failed(`the page reader ended (exit ${code})`));
    worker.unref();
    this.#thread = { worker, ready };
    return this.#thread;
  }

  /** A thread that overran is forgotten at once and terminated: the next page gets a new one. */
  #end(worker: Worker) {
    if (this.#thread?.worker === worker) this.#thread = null;
    void worker.terminate().catch(() => {});
  }

  async close() {
    const worker = this.#thread?.worker;
    this.#thread = null;
    await worker?.terminate().catch(() => {});
  }
}

/** The process's page reader. */
export const shapeThread = new ShapeThread();
