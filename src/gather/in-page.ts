// Functions that run inside the audited page (passed to page.evaluate). They must be self-contained:
// no imports, no closures over module scope. Everything they return is plain data.
import type { MobileFacts } from '../checks/mobile.js';
import type { LinkFact } from '../checks/statement.js';

export function mobileFactsInPage(opts: { minTargetPx: number; maxTextNodes: number; maxTargets: number }): MobileFacts {
  const viewportMeta = [...document.querySelectorAll('meta[name="viewport" i]')].at(-1);
  // Under phone emulation innerWidth grows to the content width when the layout does not fit, and a
  // layout that overflows with overflow hidden cannot be scrolled; so measure both ways.
  const se = (document.scrollingElement ?? document.documentElement) as HTMLElement;
  const x0 = window.scrollX;
  const y0 = window.scrollY;
  window.scrollTo(1e6, y0);
  const reachable = se.clientWidth + Math.max(0, window.scrollX);
  window.scrollTo(x0, y0);
  const contentWidth = Math.max(window.innerWidth, reachable);

  const styleOf = new Map<Element, CSSStyleDeclaration>();
  const style = (el: Element) => {
    let s = styleOf.get(el);
    if (!s) styleOf.set(el, (s = getComputedStyle(el)));
    return s;
  };

  const textCharsByFontPx: Record<string, number> = {};
  if (document.body) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node && seen < opts.maxTextNodes; node = walker.nextNode()) {
      const chars = (node.nodeValue ?? '').replace(/\s+/g, '').length;
      const parent = node.parentElement;
      if (!chars || !parent || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|TITLE)$/.test(parent.tagName)) continue;
      seen++;
      const s = style(parent);
      if (s.visibility === 'hidden' || s.visibility === 'collapse' || parent.getClientRects().length === 0) continue;
      const px = String(Math.floor(Number.parseFloat(s.fontSize) || 0));
      textCharsByFontPx[px] = (textCharsByFontPx[px] ?? 0) + chars;
    }
  }

  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="tab"], [role="menuitem"], [role="switch"]';
  const targets: { el: Element; r: DOMRect; small: boolean }[] = [];
  for (const el of document.querySelectorAll(selector)) {
    if (targets.length >= opts.maxTargets) break;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || style(el).visibility === 'hidden') continue;
    const small = r.width < opts.minTargetPx || r.height < opts.minTargetPx;
    // WCAG 2.5.8 exception: a link inside a sentence is sized by the line of text it is in.
    const inline = el.tagName === 'A' && style(el).display === 'inline' &&
      (el.parentElement?.textContent ?? '').trim().length > (el.textContent ?? '').trim().length + 20;
    targets.push({ el, r, small: small && !inline });
  }
  const half = opts.minTargetPx / 2;
  const examples: string[] = [];
  let tooSmall = 0;
  for (const t of targets) {
    if (!t.small) continue;
    const cx = t.r.left + t.r.width / 2;
    const cy = t.r.top + t.r.height / 2;
    // The spacing exception: a 24 px circle on the target's centre must not touch another target.
    const crowded = targets.some((o) => {
      if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return false;
      if (o.small) return Math.hypot(o.r.left + o.r.width / 2 - cx, o.r.top + o.r.height / 2 - cy) < opts.minTargetPx;
      const dx = Math.max(o.r.left - cx, 0, cx - o.r.right);
      const dy = Math.max(o.r.top - cy, 0, cy - o.r.bottom);
      return Math.hypot(dx, dy) < half;
    });
    if (!crowded) continue;
    tooSmall++;
    if (examples.length < 5) examples.push(t.el.outerHTML.slice(0, 200));
  }

  const pluginish = /shockwave|flash|java|silverlight|x-ms-|\.swf|\.flv|\.class|\.xap/i;
  let plugins = document.querySelectorAll('applet').length;
  for (const el of document.querySelectorAll('object, embed')) {
    const hint = `${el.getAttribute('type') ?? ''} ${el.getAttribute('data') ?? ''} ${el.getAttribute('src') ?? ''} ${el.getAttribute('classid') ?? ''}`;
    if (pluginish.test(hint)) plugins++;
  }

  return {
    viewportContent: viewportMeta ? viewportMeta.getAttribute('content') ?? '' : null,
    contentWidth,
    textCharsByFontPx,
    targets: { total: targets.length, tooSmall, examples },
    plugins,
  };
}

export function linksInPage(max: number): LinkFact[] {
  const out: LinkFact[] = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (out.length >= max) break;
    const el = a as HTMLElement;
    let href: string;
    try {
      href = new URL(el.getAttribute('href') ?? '', document.baseURI).href;
    } catch {
      continue;
    }
    const img = el.querySelector('img[alt]');
    const text = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('title') || img?.getAttribute('alt') || '').trim().slice(0, 200);
    out.push(el.hasAttribute('download') ? { href, text, download: true } : { href, text });
  }
  return out;
}
