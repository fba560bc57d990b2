// Run progress: a bar with ETA on a terminal, plain lines otherwise (logs, CI).
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import type { RunProgress } from '../run/run.js';

export function runProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): RunProgress {
  const started = Date.now();
  let first: number | null = null;
  return {
    landed(target: Target, outcome: SiteOutcome, done: number, total: number) {
      if (quiet) return;
      first ??= done - 1; // sites already stored by an earlier, resumed run do not count for the ETA
      const elapsed = (Date.now() - started) / 1000;
      const rate = (done - first) / Math.max(elapsed, 0.001);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      const what = outcome.status === 'ok' ? `${outcome.result.grade ?? 'ungraded'}, ${outcome.result.summary.pagesOk} pages` : `error: ${outcome.error}`;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} sites, ETA ${fmt(eta)} — ${target.id}: ${what}`);
        if (done === total) stream.write('\n');
      } else {
        stream.write(`[${done}/${total}] ${target.id} ${what} (ETA ${fmt(eta)})\n`);
      }
    },
  };
}

function fmt(s: number): string {
  return s >= 3600 ? `${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
