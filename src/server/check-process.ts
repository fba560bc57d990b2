// The process of the dashboard's in-process checks (CheckProcess forks it): the check's browser, egress
// guard, robots.txt and sitemap parsing and result building all run here, never on the web server's event
// loop. One check at a time over IPC; it exits with its parent.
import { CheckRunner, type CheckMessage, type CheckRequest } from './check-runner.js';
import type { SiteOutcome } from '../store/db.js';
import { errorMessage } from '../util/errors.js';


let runner: CheckRunner | null = null;

process.on('message', (req: CheckRequest) => {
  void (async () => {
    runner ??= new CheckRunner(req.allowPrivate);
    let outcome: SiteOutcome;
    try {
      outcome = await runner.run(req.url, req.limits, (pagesDone, pagesPlanned) => {
        if (process.connected) process.send!({ id: req.id, progress: { pagesDone, pagesPlanned } } satisfies CheckMessage);
      });
    } catch (err) {
      outcome = { status: 'error', error: errorMessage(err) };
    }
    if (process.connected) process.send!({ id: req.id, outcome } satisfies CheckMessage);
  })();
});

process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 5000).unref();
  void runner?.close().finally(() => process.exit(0));
  if (!runner) process.exit(0);
});
