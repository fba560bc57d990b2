// The in-process executor: p-queue over an Auditor's browsers (one per slot and route), reused across sites.
import PQueue from 'p-queue';
import type { AuditOptions } from '../audit/options.js';
import type { EgressPolicy } from '../gather/egress.js';
import type { SiteOutcome } from '../store/db.js';
import type { Target } from '../targets/targets.js';
import { errorMessage } from '../util/errors.js';
import { Auditor, REGISTRY_PRIVATE_HINT } from './auditor.js';
import type { Executor } from './run.js';

export class InProcessExecutor implements Executor {
  /** `policy`: the egress guard's, for tests that make a loopback address play a public one. */
  constructor(private readonly options: AuditOptions, private readonly slots: number, private readonly policy?: Required<EgressPolicy>) {}

  async execute(_runId: number, targets: Target[], land: (t: Target, o: SiteOutcome) => void) {
    // Targets marked private are the evaluator's own word in the registry (or --allow-private).
    const auditor = new Auditor({ privateTargets: true, policy: this.policy, privateHint: REGISTRY_PRIVATE_HINT });
    const queue = new PQueue({ concurrency: this.slots });
    try {
      await Promise.all(targets.map((target) => queue.add(async () => {
        // One retry: a browser crash mid-site is worth a second chance on a fresh browser.
        let outcome: SiteOutcome;
        try {
          outcome = await auditor.audit(target, this.options);
        } catch {
          outcome = await auditor.audit(target, this.options).catch((err) => ({ status: 'error' as const, error: errorMessage(err) }));
        }
        land(target, outcome);
      })));
    } finally {
      await auditor.close();
    }
  }
}
