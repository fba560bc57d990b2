// What a page's HTML says about it without a browser: its links, its language, what it holds (a form, a
// data table, media) and the shape of its template. Read with a maintained HTML parser (htmlparser2) while
// the site is explored, so the sample can be chosen from the pages themselves, not only their URLs. Pure.
import { Parser } from 'htmlparser2';
import type { LinkFact } from '../checks/statement.js';

export interface PageShape {
  title: string;
  /** The first level-one heading's text. */
  h1: string;
  /** The document's language (`<html lang>`), lower-cased, or null. */
  lang: string | null;
  links: LinkFact[];
  /** A form a visitor fills in (not a lone search box), a data table (with header cells), audio or video. */
  features: { form: boolean; table: boolean; media: boolean };
  /**
   * The template's fingerprint: the structural elements of the page's main content (those a template
   * puts there: with a class, an id or a landmark role, or a sectioning element), each with its parent's,
   * as a sorted set. Pages of one template share most of it whatever their text.
   */
  structure: string[];
  /** The start of the page's text (for recognising an accessibility statement by what it says). */
  text: string;
  /** The URL the page names as its own (`<link rel="canonical">`), resolved; null when it names none. */
  canonical: string | null;
}

const SECTIONING = new Set(['main', 'nav', 'aside', 'header', 'footer', 'section', 'article', 'form', 'table', 'figure', 'iframe', 'video', 'audio', 'dl', 'fieldset', 'details', 'dialog']);
const SKIP_CONTENT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const MEDIA_HOSTS = /(^|\.)(youtube(-nocookie)?\.com|youtu\.be|vimeo\.com|dailymotion\.com|soundcloud\.com)$/i;
const TEXT_MAX = 4000;

/**
 * Class names as a template writes them: digits and hashes folded (`col-6`, `css-1x2y3` are one shape),
 * and a BEM modifier is a variant of its block, not another template (`ons-hero--dark`, `ons-hero--grey`).
 */
const classToken = (c: string) => c.toLowerCase().replace(/--[a-z0-9-]+$/, '--').replace(/[0-9a-f]{6,}|\d+/g, '#');

interface Open { tag: string; token: string | null; inMain: boolean; link: LinkFact | null; form: FormCount | null; skip?: boolean }
interface FormCount { fields: number; search: boolean }

export function readPageShape(html: string, baseUrl: string, maxLinks = 5000): PageShape {
  const shape: PageShape = { title: '', h1: '', lang: null, links: [], features: { form: false, table: false, media: false }, structure: [], text: '', canonical: null };
  const structure = new Set<string>();
  const stack: Open[] = [];
  let base = baseUrl;
  let skipDepth = 0;
  let inTitle = false;
  let inH1 = false;
  let h1Done = false;
  let hasMain = false;
  let textLen = 0;
  const text: string[] = [];
  const links: LinkFact[] = [];
  const bodyTokens = new Set<string>(); // the whole body's, for a page without a main landmark

  const resolve = (href: string): string | null => {
    try {
      return new URL(href.trim(), base).href;
    } catch {
      return null;
    }
  };
  const parser = new Parser({
    onopentag(tag, attrs) {
      const parent = stack.at(-1);
      if (skipDepth > 0 || SKIP_CONTENT.has(tag)) {
        if (!VOID.has(tag)) (skipDepth++, stack.push({ tag, token: null, inMain: false, link: null, form: null, skip: true }));
        return;
      }
      if (tag === 'html' && attrs.lang) shape.lang = attrs.lang.trim().toLowerCase() || null;
      if (tag === 'base' && attrs.href) base = resolve(attrs.href) ?? base;
      if (tag === 'link' && /(^|\s)canonical(\s|$)/i.test(attrs.rel ?? '') && attrs.href && shape.canonical === null) shape.canonical = resolve(attrs.href);
      if (tag === 'title') inTitle = true;
      if (tag === 'h1' && !h1Done) inH1 = true;
      const role = attrs.role?.toLowerCase();
      const isMain = tag === 'main' || role === 'main';
      if (isMain) hasMain = true;
      const inMain = isMain || !!parent?.inMain;
      // Structure: elements a template places, never the prose inside them.
      const classes = (attrs.class ?? '').split(/\s+/).filter(Boolean).map(classToken).sort();
      // A custom element is a component the template placed (`<gcds-card>`), whatever its attributes.
      const structural = classes.length > 0 || !!attrs.id || !!role || SECTIONING.has(tag) || tag.includes('-');
      const token = structural ? `${tag}${role ? `[${role}]` : ''}${classes.map((c) => `.${c}`).join('')}` : null;
      if (token) {
        const parentToken = [...stack].reverse().find((o) => o.token)?.token ?? 'body';
        const pair = `${parentToken}>${token}`;
        if (inMain) structure.add(pair);
        bodyTokens.add(pair);
      }
      // Links: anchors and areas, custom elements that carry an href, the head's language versions.
      let link: LinkFact | null = null;
      const isLink = (tag === 'a' || tag === 'area' || tag.includes('-')) && attrs.href !== undefined;
      const isAlternate = tag === 'link' && /(^|\s)alternate(\s|$)/i.test(attrs.rel ?? '') && !!attrs.hreflang && !!attrs.href;
      if ((isLink || isAlternate) && links.length < maxLinks) {
        const href = resolve(attrs.href!);
        if (href) {
          link = { href, text: isAlternate ? '' : (attrs['aria-label'] ?? attrs.title ?? attrs.text ?? attrs.label ?? '') };
          if (attrs.download !== undefined && !isAlternate) link.download = true;
          const lang = attrs.hreflang ?? (isAlternate ? undefined : attrs.lang);
          if (lang) link.hreflang = lang.trim().slice(0, 20);
          links.push(link);
          if (isAlternate || link.text) link = null; // its text is known: nothing to collect
        }
      }
      if (link === null && tag === 'img' && attrs.alt) {
        const open = [...stack].reverse().find((o) => o.link);
        if (open?.link && !open.link.text) open.link.text = attrs.alt;
      }
      // What the page holds.
      if (tag === 'form') {
        stack.push({ tag, token, inMain, link, form: { fields: 0, search: role === 'search' || /search|meklet|find|suche|recherche/i.test(`${attrs.action ?? ''} ${attrs.id ?? ''} ${attrs.class ?? ''}`) } });
        return;
      }
      const form = [...stack].reverse().find((o) => o.form)?.form;
      if (form && (tag === 'input' || tag === 'select' || tag === 'textarea')) {
        const type = (attrs.type ?? 'text').toLowerCase();
        if (type === 'search') form.search = true;
        if (!['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) form.fields += tag === 'input' && !['checkbox', 'radio', 'file'].includes(type) ? 1 : 2;
      }
      if (tag === 'th') shape.features.table = true;
      if (tag === 'video' || tag === 'audio') shape.features.media = true;
      if (tag === 'iframe' && attrs.src) {
        try {
          if (MEDIA_HOSTS.test(new URL(attrs.src, base).hostname)) shape.features.media = true;
        } catch { /* not a URL */ }
      }
      if (!VOID.has(tag)) stack.push({ tag, token, inMain, link, form: null });
    },
    ontext(data) {
      if (skipDepth > 0) return;
      if (inTitle) shape.title += data;
      if (inH1) shape.h1 += data;
      const open = [...stack].reverse().find((o) => o.link);
      if (open?.link) open.link.text += data;
      if (textLen < TEXT_MAX && stack.some((o) => o.tag === 'body')) {
        text.push(data);
        textLen += data.length;
      }
    },
    onclosetag(tag) {
      // Pop to the matching element (htmlparser2 reports implied closes too).
      for (let i = stack.length - 1; i >= 0; i--) {
        if (stack[i]!.tag !== tag) continue;
        for (const o of stack.splice(i)) {
          if (o.skip) skipDepth--;
          if (o.form && (o.form.fields >= 2 && !(o.form.search && o.form.fields <= 2))) shape.features.form = true;
        }
        break;
      }
      if (tag === 'title') inTitle = false;
      if (tag === 'h1' && inH1) (inH1 = false, h1Done = true);
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();

  const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
  shape.title = clean(shape.title).slice(0, 300);
  shape.h1 = clean(shape.h1).slice(0, 300);
  shape.text = clean(text.join(' ')).slice(0, TEXT_MAX);
  shape.links = links.map((l) => ({ ...l, text: clean(l.text).slice(0, 200) }));
  shape.structure = [...(hasMain ? structure : bodyTokens)].sort();
  return shape;
}

/** How alike two pages' templates are: the Jaccard index of their structure sets (1: the same). */
export function templateSimilarity(a: string[], b: string[]): number {
  if (!a.length && !b.length) return 1;
  const set = new Set(a);
  let shared = 0;
  for (const t of b) if (set.has(t)) shared++;
  return shared / (a.length + b.length - shared);
}
