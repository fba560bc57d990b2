import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Read from package.json, wherever this file was compiled to (src/ under vitest, dist/src/ when built). */
function findPackage(): { version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version: string };
      if (pkg.name === 'eindex') return pkg;
    } catch { /* try the next */ }
  }
  return { version: '0.0.0' };
}
export const TOOL_VERSION: string = findPackage().version;
