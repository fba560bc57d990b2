// Functions that run inside the audited page (passed to page.evaluate). They must be self-contained:
// no imports, no closures over module scope. Everything they return is plain data.
import type { MobileFacts } from '../checks/mobile.js';
import type { LinkFact } from '../checks/statement.js';

export function mobileFactsInPage(opts: { maxTextNodes: number }): MobileFacts {
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
  // Text a phone user cannot see is not judged for legibility: visually hidden (the clip or 1 px box of a
  // skip link or screen-reader text), off the page, inside aria-hidden or inert content.
  const hiddenOf = new Map<Element, boolean>();
  const unseen = (el: Element): boolean => {
    let h = hiddenOf.get(el);
    if (h !== undefined) return h;
    const s = style(el);
    const r = el.getBoundingClientRect();
    h = s.visibility === 'hidden' || s.visibility === 'collapse' || Number(s.opacity) === 0 || el.getClientRects().length === 0 ||
      el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('inert') ||
      /rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(s.clip) || /inset\(50%\)/.test(s.clipPath) ||
      (s.overflow === 'hidden' && (r.width <= 1 || r.height <= 1)) ||
      r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0;
    if (!h && el.parentElement && el.parentElement !== document.body) h = unseen(el.parentElement);
    hiddenOf.set(el, h);
    return h;
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
      if (unseen(parent)) continue;
      const px = String(Math.floor(Number.parseFloat(style(parent).fontSize) || 0));
      textCharsByFontPx[px] = (textCharsByFontPx[px] ?? 0) + chars;
    }
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

/** Hides the elements matching the selectors (display: none, set through the CSSOM, which CSP allows). */
export function hideInPage(selectors: string[]): number {
  let hidden = 0;
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      (el as HTMLElement).style?.setProperty('display', 'none', 'important');
      hidden++;
    }
  }
  return hidden;
}
