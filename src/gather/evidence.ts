// Evidence for the report: a small JPEG of the first failing element of each violated rule, as the phone
// showed it. Best effort and bounded: an element that is hidden, zero-sized, inside a frame or a shadow
// root, or the whole document gets none, and no screenshot is attempted once the time budget is spent.
import type { Page } from 'playwright-core';
import type { AxeResult } from '../schema/result.js';
import { impactRank } from '../grading/accessibility.js';

const PAD = 4;
const MAX_HEIGHT = 200;
/** The page reports its own width: never trust it for the size of a picture. */
const MAX_WIDTH = 800;
const WHOLE_DOCUMENT = /^(html|body|head|title|meta)$/i;

/**
 * `done`: rules that already have a screenshot on this site (a template repeats its faults on every page:
 * one picture of each is evidence enough, and each costs ~50 ms).
 */
export async function screenshotViolations(page: Page, axe: AxeResult, o: { max: number; until: number; done: Set<string> }): Promise<number> {
  const rules = [...axe.violations].filter((r) => !o.done.has(r.id)).sort((a, b) => impactRank(b.impact) - impactRank(a.impact));
  let taken = 0;
  for (const rule of rules) {
    if (taken >= o.max || Date.now() > o.until) break;
    const node = rule.nodes.find((n) => n.target.length === 1 && !n.target[0]!.includes('>>>') && !WHOLE_DOCUMENT.test(n.target[0]!));
    if (!node) continue;
    const box = await page.evaluate((selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      el.scrollIntoView({ block: 'center', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height, vw: document.documentElement.clientWidth || innerWidth, vh: innerHeight };
    }, node.target[0]!).catch(() => null);
    if (!box || box.w < 1 || box.h < 1) continue;
    const x = Math.max(0, box.x - PAD), y = Math.max(0, box.y - PAD);
    const clip = { x, y, width: Math.min(box.vw, box.x + box.w + PAD, x + MAX_WIDTH) - x, height: Math.min(box.vh, box.y + box.h + PAD, y + MAX_HEIGHT) - y };
    if (clip.width < 4 || clip.height < 4) continue;
    const jpeg = await page.screenshot({ clip, type: 'jpeg', quality: 55, animations: 'disabled', caret: 'hide', timeout: Math.max(500, Math.min(3000, o.until - Date.now())) }).catch(() => null);
    if (!jpeg) continue;
    node.screenshot = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    o.done.add(rule.id);
    taken++;
  }
  return taken;
}
