import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { serveStatic } from './dist/src/util/static-server.js';
import { cpuCgroup } from './dist/src/bench/proc.js';
const cg = cpuCgroup();
const src = readFileSync('./node_modules/axe-core/axe.min.js', 'utf8');
const sites = []; for (let s = 0; s < 16; s++) sites.push(await serveStatic(`/tmp/tax/s${s}`));
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', ...(process.argv[3] ? process.argv[3].split('|') : [])] });
const mode = process.argv[2];
const opts = { viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1.75 };
let shared = await b.newContext(opts); if (process.argv[5]) { const k = await shared.newPage(); await k.goto(process.env.DISTINCT ? 'about:blank' : sites[0].url); }
const c0 = cg.cpuSeconds(), t0 = Date.now();
for (const s of sites) {
  const ctx = mode === 'newctx' ? await b.newContext(opts) : shared;
  const p = await ctx.newPage();
  await p.goto(process.env.DISTINCT ? s.url.replace('127.0.0.1', 's' + sites.indexOf(s) + '.example') : s.url);
  if (process.argv[4] !== 'noaxe') { await p.evaluate(src + ';0'); await p.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(() => 0)); }
  await p.close();
  if (mode === 'newctx') await ctx.close();
}
console.log(mode, process.argv[3] ?? '', process.argv[4] ?? '', 'cpu/site', ((cg.cpuSeconds() - c0) / 16).toFixed(3), 'wall', ((Date.now() - t0) / 16000).toFixed(3));
await b.close(); cg.close(); process.exit(0);
