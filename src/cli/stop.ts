// How a command is stopped: SIGTERM (CI cancel, `timeout`, `docker stop`), SIGINT (Ctrl-C), or its caller
// gone (`npx` killed leaves its child orphaned, with no signal of its own). The first asks the command to
// stop and keep what it has; a second, or the bound passing, exits at once. Exit codes: 143 and 130.
import { browserSignals } from '../gather/browser.js';

export type StopSignal = 'SIGTERM' | 'SIGINT';

/** How long a stopped command may take to write what it has and close its browsers. */
export const STOP_BOUND_MS = 4500;
const ORPHAN_POLL_MS = 500;

export interface StopWatch {
  signal: AbortSignal;
  /** What stopped the command, or null while it runs. */
  readonly by: StopSignal | null;
  readonly exitCode: number;
  dispose(): void;
}

export const exitCodeOf = (by: StopSignal) => (by === 'SIGINT' ? 130 : 143);

export function watchForStop(): StopWatch {
  // Playwright would close the browsers (and end the process) itself: the command closes them when done.
  browserSignals.closeOnSignal = false;
  const controller = new AbortController();
  let by: StopSignal | null = null;
  const parent = process.ppid;
  const stop = (what: StopSignal) => {
    if (by) process.exit(exitCodeOf(by));
    by = what;
    controller.abort();
    setTimeout(() => process.exit(exitCodeOf(what)), STOP_BOUND_MS).unref();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  // Started by npm (npx sets npm_command): npx killed does not pass the signal on, and its child is left
  // orphaned; a parent gone is then a stop. Otherwise (nohup, a service manager) it is not.
  const orphan = setInterval(() => {
    if (process.env.npm_command && process.ppid !== parent && !by) stop('SIGTERM');
  }, ORPHAN_POLL_MS).unref();
  return {
    signal: controller.signal,
    get by() {
      return by;
    },
    get exitCode() {
      return by ? exitCodeOf(by) : 0;
    },
    dispose() {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      clearInterval(orphan);
    },
  };
}
