import { defineConfig } from 'vitest/config';

/**
 * The long tier (`npm run test:long`): the registry at scale and the chaos of the machine and the network
 * (a hostile site, Redis restarted empty, a disk that fills, Chromium killed, a bad certificate), and the
 * reference comparisons in full (SAMPLED_TESTS: every W3C ACT case, every Lighthouse page, every Zen Garden
 * design; `npm test` runs an even spread of them, test/helpers.ts `tierSample`). .ci/run runs both tiers.
 */
export const SAMPLED_TESTS = ['test/corpus/act.test.ts', 'test/browser/lighthouse.test.ts', 'test/corpus/real-pages.test.ts'];
export const LONG_TESTS = [
  'test/queue/scale.test.ts',
  'test/reliability/faults.test.ts',
  'test/reliability/redis-restart.test.ts',
  'test/reliability/database.test.ts',
  'test/reliability/tls-crash.test.ts',
];
const long = process.env.EINDEX_TESTS === 'long';

export default defineConfig({
  test: {
    include: long ? [...LONG_TESTS, ...SAMPLED_TESTS] : ['test/**/*.test.ts'],
    exclude: long ? [] : LONG_TESTS,
    // Corpus, Chromium, redis-server, docker-compose, root: missing ones fail a CI run (test/prerequisites.ts).
    globalSetup: ['test/prerequisites.ts'],
    // Browser suites start real Chromium; on a 2-core machine two files at a time is the sweet spot.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
