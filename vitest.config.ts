import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The long tier (`npm run test:long`): the registry at scale and the chaos of the machine and the network
 * (a hostile site, Redis restarted empty, a disk that fills, Chromium killed, a bad certificate), and the
 * reference comparisons in full (SAMPLED_TESTS: every W3C ACT case, every Lighthouse page, every Zen Garden
 * design; `npm test` runs an even spread of them, test/helpers.ts `tierSample`). .ci/run runs both tiers.
 */
export const SAMPLED_TESTS = ['test/corpus/act.test.ts', 'test/browser/lighthouse.test.ts', 'test/corpus/real-pages.test.ts', 'test/corpus/whole-site.test.ts'];
export const LONG_TESTS = [
  'test/queue/scale.test.ts',
  'test/reliability/faults.test.ts',
  'test/reliability/redis-restart.test.ts',
  'test/reliability/database.test.ts',
  'test/reliability/tls-crash.test.ts',
];
const long = process.env.EINDEX_TESTS === 'long';

/**
 * The slowest files first (as measured on a fresh clone here), so that the two workers finish together
 * instead of one running a two-minute file alone at the end; the rest in vitest's own order.
 */
const SLOWEST_FIRST = [
  'queue/scale', 'corpus/whole-site', 'e2e/serve', 'e2e/lifecycle', 'e2e/package', 'browser/lighthouse', 'corpus/act', 'reliability/database',
  'corpus/design-systems', 'corpus/real-pages', 'reliability/tls-crash', 'reliability/faults', 'queue/bullmq', 'e2e/cli',
  'browser/report', 'browser/site-as-seen', 'e2e/stop', 'browser/audit', 'browser/discovery',
];
class SlowestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOWEST_FIRST.findIndex((name) => f.moduleId.endsWith(`test/${name}.test.ts`));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    const base = await super.sort(files);
    return base.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: long ? [...LONG_TESTS, ...SAMPLED_TESTS] : ['test/**/*.test.ts'],
    exclude: long ? [] : LONG_TESTS,
    // Corpus, Chromium, redis-server, docker-compose, root: missing ones fail a CI run (test/prerequisites.ts).
    globalSetup: ['test/prerequisites.ts'],
    // Browser suites start real Chromium; on a 2-core machine two files at a time is the sweet spot.
    maxWorkers: 2,
    sequence: { sequencer: SlowestFirst },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
