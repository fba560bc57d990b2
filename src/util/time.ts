import { DeadlineError } from './errors.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Races `work` against a deadline. On expiry `onTimeout` runs (it must really stop the work, e.g. by
 * closing the browser context that a runaway axe-core is spinning in) and the promise rejects.
 */
export async function withDeadline<T>(
  what: string,
  ms: number,
  work: Promise<T>,
  onTimeout?: () => unknown,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        const r = onTimeout?.();
        if (r instanceof Promise) r.catch(() => {});
      } finally {
        reject(new DeadlineError(what, ms));
      }
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {}); // the losing side of the race must not become an unhandled rejection
  }
}

/** A lock that lets one async task at a time through: one Lighthouse run at a time per browser. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async run<T>(task: () => Promise<T>): Promise<T> {
    const prev = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/** Spaces out the starts of requests to one host by at least `gapMs`; `pauseUntil` holds them all. */
export class Pacer {
  #next = 0;
  /** The gap between two loads; it may grow when a robots.txt read late asks for a Crawl-delay. */
  constructor(public gapMs: number) {}
  pauseUntil(at: number) {
    this.#next = Math.max(this.#next, at);
  }
  async wait(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.gapMs;
    if (at > now) await sleep(at - now);
  }
}
