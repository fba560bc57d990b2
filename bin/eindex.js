#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`eindex: ${err instanceof Error ? err.message : err}`);
    process.exit(3);
  },
);
