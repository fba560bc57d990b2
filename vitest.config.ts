import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Corpus, Chromium, redis-server, docker-compose, root: missing ones fail a CI run (test/prerequisites.ts).
    globalSetup: ['test/prerequisites.ts'],
    // Browser suites start real Chromium; on a 2-core machine two files at a time is the sweet spot.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
