// The screenshot of an offending element must show that element, also where the phone zooms the page out
// (no viewport meta, or a layout wider than the screen) and the element lies below the first screen.
// Each fixture page has a red image without alt text (image-alt) and a blue button without a name
// (button-name); the pictures are decoded in Chromium and their colours counted.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { CHROMIUM_ARGS, findChromium } from '../../src/gather/browser.js';
import { serveStatic, type StaticSite } from '../../src/util/static-server.js';
import type { SiteResult } from '../../src/schema/result.js';

const tmp = mkdtempSync(join(tmpdir(), 'eindex-evidence-'));
let site: StaticSite;
let browser: Browser;
const META = '<meta name="viewport" content="width=device-width, initial-scale=1">';
/** name → [viewport meta, body style, image left, button left] */
const PAGES: Record<string, [string, string, number, number]> = {
  responsive: [META, '', 200, 40],
  'no-viewport': ['', '', 760, 600],
  wide: [META, 'width:1300px', 1100, 900],
};
const pageHtml = ([meta, bodyStyle, imageLeft, buttonLeft]: [string, string, number, number]) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${meta}<title>Evidence</title></head>
<body style="margin:0;${bodyStyle}"><main><h1>Evidence</h1>
<div style="height:1400px;background:#eee">Filler that pushes the faults below the first screen.</div>
<img src="red.svg" style="position:absolute;left:${imageLeft}px;top:1500px;width:120px;height:60px">
<button style="position:absolute;left:${buttonLeft}px;top:1700px;width:90px;height:50px;background:#00f;border:0"></button>
<div style="height:1400px;background:#ddf">More filler.</div></main></body></html>`;

beforeAll(async () => {
  const dir = join(tmp, 'site');
  mkdirSync(dir);
  for (const [name, page] of Object.entries(PAGES)) writeFileSync(join(dir, `${name}.html`), pageHtml(page));
  writeFileSync(join(dir, 'red.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#f00"/></svg>');
  site = await serveStatic(dir);
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Share of the picture's pixels that are clearly red / clearly blue, and its size. */
async function colours(dataUrl: string) {
  const tab = await browser.newPage();
  try {
    return await tab.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let red = 0, blue = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! > 200 && d[i + 1]! < 80 && d[i + 2]! < 80) red++;
        if (d[i + 2]! > 200 && d[i]! < 80 && d[i + 1]! < 80) blue++;
      }
      const n = d.length / 4;
      return { width: img.width, height: img.height, red: red / n, blue: blue / n };
    }, dataUrl);
  } finally {
    await tab.close();
  }
}

describe('screenshots of offending elements', () => {
  for (const page of Object.keys(PAGES)) {
    it(`show the element itself: ${page}`, async () => {
      const json = join(tmp, `${page}.json`);
      const run = await runCli(['audit', `${site.url}${page}.html`, '--max-pages', '1', '--no-lighthouse', '--quiet', '--json', json]);
      expect([0, 1], run.stderr).toContain(run.code);
      const r: SiteResult = JSON.parse(readFileSync(json, 'utf8'));
      const violations = r.pages[0]!.axe!.violations;
      const shot = (rule: string) => violations.find((v) => v.id === rule)?.nodes[0]?.screenshot;
      const img = shot('image-alt'), button = shot('button-name');
      expect(img, 'image-alt has a screenshot').toMatch(/^data:image\/jpeg;base64,/);
      expect(button, 'button-name has a screenshot').toMatch(/^data:image\/jpeg;base64,/);
      const a = await colours(img!), b = await colours(button!);
      // The element and up to 4 px around it (Chromium trims the margin at the content's edge), at CSS
      // scale, not shrunk to the zoomed-out screen: image 120 × 60, button 90 × 50.
      for (const [size, element] of [[a.width, 120], [a.height, 60], [b.width, 90], [b.height, 50]] as const) {
        expect(size).toBeGreaterThanOrEqual(element);
        expect(size).toBeLessThanOrEqual(element + 8);
      }
      expect(a.red, `image-alt picture: ${JSON.stringify(a)}`).toBeGreaterThan(0.6);
      expect(b.blue, `button-name picture: ${JSON.stringify(b)}`).toBeGreaterThan(0.6);
    }, 90_000);
  }
});
