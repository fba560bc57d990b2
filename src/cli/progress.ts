// Progress a person can read: on a terminal one line redrawn in place (the phase, pages or sites i/N, an
// ETA), cut to the terminal's width; plain lines otherwise (logs, CI). Always on standard error.
import type { ScanProgress } from '../audit/site.js';
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import type { RunProgress } from '../run/run.js';

type Stream = Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'>;

/** A duration for people: 45s, 3m05s, 1h59m (never "1h60m"). */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** A line cut to the terminal's width (with an ellipsis), so a redraw never wraps. */
export function fitWidth(line: string, columns: number | undefined): string {
  const width = Math.max(20, (columns ?? 80) - 1);
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
}

function liveLine(stream: Stream) {
  let drawn = false;
  return {
    draw(line: string) {
      stream.write(`\r\x1b[K${fitWidth(line, stream.columns)}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/** `eindex audit`: robots.txt, sitemaps, then pages i/N with an ETA. */
export function siteProgress(stream: Stream = process.stderr, quiet = false): ScanProgress & { end(): void } {
  const started = Date.now();
  const live = liveLine(stream);
  let pagesFrom = started;
  const phaseText = { 'robots.txt': 'reading robots.txt', sitemaps: 'reading sitemaps', exploring: 'exploring the site', pages: 'auditing pages' } as const;
  return {
    onPhase(phase) {
      if (quiet) return;
      if (phase === 'pages') pagesFrom = Date.now();
      if (stream.isTTY) live.draw(`${phaseText[phase]}…`);
      else stream.write(`${phaseText[phase]}\n`);
    },
    onPage(p, done, planned) {
      if (quiet) return;
      const status = p.error ? `error: ${p.error.message}` : `ok (${p.axe?.violations.length ?? 0} rules violated)`;
      const rate = done / Math.max(0.001, (Date.now() - pagesFrom) / 1000);
      const eta = planned > done ? `, ETA ${formatEta((planned - done) / rate)}` : '';
      if (stream.isTTY) live.draw(`pages ${done}/${planned}${eta} — ${p.candidate.url} — ${status}`);
      else stream.write(`[${done}/${planned}] ${p.candidate.url} — ${status}, ${(p.durationMs / 1000).toFixed(1)} s\n`);
    },
    end: () => live.end(),
  };
}

/** `eindex run`: a bar with sites i/N and an ETA on a terminal, a line per site otherwise. */
export function runProgress(stream: Stream = process.stderr, quiet = false): RunProgress {
  const started = Date.now();
  let first: number | null = null;
  const live = liveLine(stream);
  return {
    landed(target: Target, outcome: SiteOutcome, done: number, total: number) {
      if (quiet) return;
      first ??= done - 1; // sites already stored by an earlier, resumed run do not count for the ETA
      const elapsed = (Date.now() - started) / 1000;
      const rate = (done - first) / Math.max(elapsed, 0.001);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const what = outcome.status === 'ok' ? `${outcome.result.grade ?? 'ungraded'}, ${outcome.result.summary.pagesOk} pages` : `error: ${outcome.error}`;
      if (stream.isTTY) {
        const width = 20;
        const filled = Math.round((done / total) * width);
        live.draw(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} sites, ETA ${formatEta(eta)} — ${target.id}: ${what}`);
        if (done === total) live.end();
      } else {
        stream.write(`[${done}/${total}] ${target.id} ${what} (ETA ${formatEta(eta)})\n`);
      }
    },
  };
}
