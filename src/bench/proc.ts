// Resource figures of this process and everything it started (Chromium included), from /proc.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const TICKS = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; cpu: number; childCpu: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICKS, childCpu: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return null;
  }
}

export function processTree(root = process.pid): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid)!.push(pid);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * A cgroup of the bench's own, holding this process and everything it starts from then on (Chromium's
 * renderers included, however they are forked and reaped): its CPU counter is the measure. cgroup v2
 * (cpu.stat) or v1 (cpuacct); null where none can be made (not root, no writable cgroup file system).
 */
export function cpuCgroup(): { cpuSeconds(): number; close(): void } | null {
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  const root = v2 ? '/sys/fs/cgroup' : '/sys/fs/cgroup/cpuacct';
  const dir = join(root, `eindex-bench-${process.pid}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
  } catch {
    try { rmdirSync(dir); } catch { /* never made */ }
    return null;
  }
  return {
    cpuSeconds: () => v2
      ? Number(/^usage_usec (\d+)/m.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'))?.[1]) / 1e6
      : Number(readFileSync(join(dir, 'cpuacct.usage'), 'utf8')) / 1e9,
    close() {
      try {
        writeFileSync(join(root, 'cgroup.procs'), String(process.pid));
        rmdirSync(dir);
      } catch { /* a process of ours still in it: the kernel keeps it until that one ends */ }
    },
  };
}

/**
 * CPU seconds used by the tree so far, from /proc: live processes, plus the children each has reaped. It
 * misses processes that left the tree (Chromium's renderers): cpuCgroup() is the measure where it can be had.
 */
export function treeCpuSeconds(root = process.pid): number {
  let total = 0;
  for (const pid of processTree(root)) {
    const s = stat(pid);
    if (s) total += s.cpu + s.childCpu;
  }
  return total;
}

/**
 * Memory of the whole tree, in MB: the proportional set size (PSS), so pages that Chromium's processes
 * share are counted once, not once per process as summing RSS would.
 */
export function treeRssMb(root = process.pid): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* exited meanwhile */ }
  }
  return Math.round(kb / 1024);
}

/**
 * Samples the tree's memory until stopped; reports the peak. The sampling runs in a thread of its own:
 * reading every process's smaps_rollup takes tens of ms, and on the main thread it stalled the bench's
 * own static servers (pages then loaded late and the figures came out ~15 % slower than the truth).
 */
export function memorySampler(everyMs = 250) {
  const peak = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(peak, 0, treeRssMb());
  const worker = new Worker(new URL(import.meta.url), { workerData: { sampler: { root: process.pid, everyMs, peak } } });
  worker.unref();
  return {
    stop: () => (void worker.terminate(), Atomics.load(peak, 0)),
    peak: () => Atomics.load(peak, 0),
  };
}

const job = isMainThread ? null : (workerData as { sampler?: { root: number; everyMs: number; peak: Int32Array } } | null)?.sampler;
if (job) {
  setInterval(() => {
    const mb = treeRssMb(job.root);
    if (mb > Atomics.load(job.peak, 0)) Atomics.store(job.peak, 0, mb);
  }, job.everyMs);
}
