// Evidence for the report: a small JPEG of the first failing element of each violated rule, as the phone
// showed it. Best effort and bounded: an element that is hidden, zero-sized, inside a frame or a shadow
// root, or the whole document gets none, and no screenshot is attempted once the time budget is spent.
import type { CDPSession, Page } from 'playwright-core';
import type { AxeResult } from '../schema/result.js';
import { impactRank } from '../grading/accessibility.js';
import { withDeadline } from '../util/time.js';
import { tabSession } from './tab-session.js';

const PAD = 4;
const MAX_HEIGHT = 200;
/** The page reports its own width: never trust it for the size of a picture. */
const MAX_WIDTH = 800;
const WHOLE_DOCUMENT = /^(html|body|head|title|meta)$/i;

/**
 * `done`: rules that already have a screenshot on this site (a template repeats its faults on every page:
 * one picture of each is evidence enough, and each costs ~50 ms).
 *
 * The clip is given in document coordinates straight to the DevTools protocol, captured beyond the
 * viewport at CSS scale. Playwright's page clip is relative to the device screen, and a phone zooms out
 * a page that has no viewport meta or is wider than the screen (980 px or more shown on 412): element
 * boxes are then in another unit and the picture showed the wrong place or nothing. Capturing beyond
 * the viewport can reset the page's zoom: this is the last thing done to a page. Returns how many
 * captures were tried (a tab that was captured is not kept for another page).
 */
export async function screenshotViolations(page: Page, axe: AxeResult, o: { max: number; until: number; done: Set<string> }): Promise<number> {
  const rules = [...axe.violations].filter((r) => !o.done.has(r.id)).sort((a, b) => impactRank(b.impact) - impactRank(a.impact));
  let taken = 0;
  let tried = 0;
  let cdp: CDPSession | null = null;
  for (const rule of rules) {
    if (taken >= o.max || Date.now() > o.until) break;
    const node = rule.nodes.find((n) => n.target.length === 1 && !n.target[0]!.includes('>>>') && !WHOLE_DOCUMENT.test(n.target[0]!));
    if (!node) continue;
    const clip = await page.evaluate(documentClip, { selector: node.target[0]!, pad: PAD, maxWidth: MAX_WIDTH, maxHeight: MAX_HEIGHT }).catch(() => null);
    if (!clip) continue;
    cdp ??= await tabSession(page);
    tried++;
    const shot = await withDeadline('a screenshot', Math.max(500, Math.min(3000, o.until - Date.now())),
      cdp.send('Page.captureScreenshot', { format: 'jpeg', quality: 55, clip: { ...clip, scale: 1 }, captureBeyondViewport: true })).catch(() => null);
    if (!shot?.data) continue;
    node.screenshot = `data:image/jpeg;base64,${shot.data}`;
    o.done.add(rule.id);
    taken++;
  }
  return tried;
}

/**
 * In the page: scrolls the element into view (lazy content loads, as a person would see it) and returns
 * its box, padded and capped, within the document, in document CSS pixels; null when it has no area.
 */
function documentClip(a: { selector: string; pad: number; maxWidth: number; maxHeight: number }) {
  const el = document.querySelector(a.selector);
  if (!el) return null;
  el.scrollIntoView({ block: 'center', inline: 'nearest' });
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return null;
  const doc = document.documentElement;
  const left = Math.max(0, scrollX + r.left - a.pad);
  const top = Math.max(0, scrollY + r.top - a.pad);
  const right = Math.min(Math.max(doc.scrollWidth, innerWidth), scrollX + r.right + a.pad, left + a.maxWidth);
  const bottom = Math.min(Math.max(doc.scrollHeight, innerHeight), scrollY + r.bottom + a.pad, top + a.maxHeight);
  if (right - left < 4 || bottom - top < 4) return null;
  return { x: Math.floor(left), y: Math.floor(top), width: Math.ceil(right - left), height: Math.ceil(bottom - top) };
}
