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

/**
 * The links a visitor can follow, as the browser has them: anchors and image-map areas, custom elements
 * that carry an `href` (`<gcds-nav-link href>`), everything inside open shadow roots, and the language
 * versions the head declares (`<link rel="alternate" hreflang>`).
 */
export function linksInPage(max: number): LinkFact[] {
  const out: LinkFact[] = [];
  const push = (el: Element, raw: string | null, text: string) => {
    if (out.length >= max || raw === null) return;
    let href: string;
    try {
      href = new URL(raw, document.baseURI).href;
    } catch {
      return;
    }
    const link: LinkFact = { href, text: text.trim().replace(/\s+/g, ' ').slice(0, 200) };
    if (el.hasAttribute('download')) link.download = true;
    const lang = el.getAttribute('hreflang') ?? (el.tagName !== 'LINK' ? el.getAttribute('lang') : null);
    if (lang) link.hreflang = lang.trim().slice(0, 20);
    out.push(link);
  };
  const textOf = (el: HTMLElement) => {
    const img = el.querySelector('img[alt]');
    return el.innerText || el.textContent || el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('text') || el.getAttribute('label') || img?.getAttribute('alt') || '';
  };
  for (const l of document.querySelectorAll('link[rel~="alternate" i][hreflang][href]')) push(l, l.getAttribute('href'), '');
  const visit = (root: Document | ShadowRoot, host: HTMLElement | null, depth: number) => {
    for (const el of root.querySelectorAll('*')) {
      if (out.length >= max) return;
      const tag = el.tagName;
      // A custom element that carries an href is a link whatever its shadow root holds (a closed root
      // cannot be read); an anchor inside a shadow root that only slots its text takes the host's.
      if ((tag === 'A' || tag === 'AREA' || tag.includes('-')) && el.hasAttribute('href')) {
        push(el, el.getAttribute('href'), textOf(el as HTMLElement) || (host ? textOf(host) : ''));
      }
      if (el.shadowRoot && depth < 20) visit(el.shadowRoot, el as HTMLElement, depth + 1);
    }
  };
  visit(document, null, 0);
  return out;
}

/** The content of the document's meta refresh, if it has one. */
export function metaRefreshInPage(): string | null {
  return document.querySelector('meta[http-equiv="refresh" i][content]')?.getAttribute('content') ?? null;
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
