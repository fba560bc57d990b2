// `eindex demo`: serves the bundled demo sites on 127.0.0.1 and audits each, end to end.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAuditOptions } from '../audit/options.js';
import { scanSite } from '../audit/site.js';
import { BrowserSession } from '../gather/session.js';
import { renderHtml } from '../report/html.js';
import { renderTerminal } from '../report/terminal.js';
import { serveStatic } from '../util/static-server.js';
import { writeFileAtomic } from '../util/files.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/dist\/$/, '/');
export const DEMO_SITES = ['accessible', 'inaccessible', 'fixed-width', 'no-viewport'];

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'no-lighthouse': { type: 'boolean' }, out: { type: 'string' } } });
  const outDir = values.out ?? join(ROOT, 'reports', 'demo');
  const session = new BrowserSession(!values['no-lighthouse']);
  try {
    for (const name of DEMO_SITES) {
      const site = await serveStatic(join(ROOT, 'test', 'fixtures', 'sites', name));
      try {
        const result = await scanSite([new URL(site.url)], defaultAuditOptions({ lighthouse: !values['no-lighthouse'] }), session);
        console.log(`\n== demo site "${name}" (served at ${site.url})`);
        console.log(renderTerminal(result, { maxProblems: 4 }));
        writeFileAtomic(join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
        writeFileAtomic(join(outDir, `${name}.html`), renderHtml(result));
      } finally {
        await site.close();
      }
    }
  } finally {
    await session.close();
  }
  console.log(`\nReports written to ${outDir}/ (open the .html files in a browser).`);
  return 0;
}
