// A compiled script forked as a child process that answers requests over IPC, one request at a time:
// Lighthouse (one process per browser) and the dashboard's checks (one process per server) both run so.
// The child starts on the first request; one that dies fails what it was asked and the next request forks
// a new one; one that overruns a request's deadline is killed.
import { fork, type ChildProcess } from 'node:child_process';
import { Mutex, withDeadline } from './time.js';

type Id = string | number;
interface Waiting<M> { onMessage(m: M): void; fail(reason: string): void; child: ChildProcess }
/** How a request ends: with a value, or with an error. */
export interface Settle<T> { resolve(value: T): void; reject(err: Error): void }

export class IpcChild<Req extends { id: Id }, Msg extends { id: Id }> {
  #child: ChildProcess | null = null;
  readonly #waiting = new Map<Id, Waiting<Msg>>();
  readonly #lock = new Mutex();

  /**
   * `what` names the process in errors ("the Lighthouse process ended (SIGKILL)"). Unless
   * `keepParentAlive`, the child keeps its parent alive only while a request is under way.
   */
  constructor(private readonly script: string, private readonly what: string, private readonly keepParentAlive: boolean) {}

  /** The child's pid while one runs (diagnostics and tests). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  #process(): ChildProcess {
    if (this.#child) return this.#child;
    // No inherited loader flags (a test runner's): the child is plain compiled JavaScript.
    const child = fork(this.script, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('message', (m: Msg) => this.#waiting.get(m.id)?.onMessage(m));
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      // What was asked of this process fails; a request already handed to its successor does not.
      for (const [id, w] of this.#waiting) {
        if (w.child !== child) continue;
        w.fail(`the ${this.what} ended (${signal ?? `exit ${code}`})`);
        this.#waiting.delete(id);
      }
    });
    child.on('error', () => this.#kill(child));
    if (!this.keepParentAlive) child.channel?.unref();
    this.#child = child;
    return child;
  }

  /**
   * Sends `request` and waits for `onMessage` to settle it from the child's messages with the request's
   * id (progress messages may come first). Rejects when the child ends first, and past `timeoutMs`
   * (a DeadlineError naming `label`), killing the child.
   */
  ask<T>(request: Req, label: string, timeoutMs: number, onMessage: (m: Msg, settle: Settle<T>) => void): Promise<T> {
    return this.#lock.run(async () => {
      const child = this.#process();
      const reply = new Promise<T>((resolve, reject) => this.#waiting.set(request.id, {
        onMessage: (m) => onMessage(m, { resolve, reject }),
        fail: (reason) => reject(new Error(reason)),
        child,
      }));
      if (!this.keepParentAlive) child.channel?.ref();
      // A process that died since it was picked has already failed what was pending: fail this too.
      child.send(request, (err) => err && this.#waiting.get(request.id)?.fail(`the ${this.what} ended (${err.message})`));
      try {
        return await withDeadline(label, timeoutMs, reply, () => this.#kill(child));
      } finally {
        this.#waiting.delete(request.id);
        if (!this.keepParentAlive) child.channel?.unref();
      }
    });
  }

  /**
   * Kills a child that overran: it is forgotten at once, so the next request forks a new one instead of
   * being handed to the dying process (which failed it when its exit came).
   */
  #kill(child: ChildProcess) {
    if (this.#child === child) this.#child = null;
    child.kill('SIGKILL');
  }

  /** Disconnects the child, which then exits; killed if it has not within `timeoutMs`. */
  async close(timeoutMs: number) {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await withDeadline(`the ${this.what} to exit`, timeoutMs, exited).catch(() => child.kill('SIGKILL'));
  }
}
