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

interface Open {
  tag: string; token: string | null; inMain: boolean; link: LinkFact | null; form: FormCount | null; skip?: boolean;
  /**
   * The innermost token, link and form at this element (its own or an ancestor's) and whether it is in the
   * body: carried down when it is opened, so nothing walks the stack (a page of a million unclosed
   * elements reads in linear time; walking made it quadratic: 240 KB took 40 s).
   */
  near: Near;
}
interface Near { token: string | null; link: LinkFact | null; form: FormCount | null; body: boolean }
const ROOT: Near = { token: null, link: null, form: null, body: false };
interface FormCount { fields: number; search: boolean }

export function readPageShape(html: string, baseUrl: string, maxLinks = 5000): PageShape {
  const reader = new ShapeReader(baseUrl, maxLinks);
  const parser = new Parser({
    onopentag: (tag, attrs) => reader.open(tag, attrs),
    ontext: (data) => reader.text(data),
    onclosetag: (tag) => reader.close(tag),
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  try {
    parser.write(html);
    parser.end();
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
    // Read as far as the cap: a template shows long before, and what follows is no page a person reads.
  }
  return reader.shape();
}

/**
 * Elements open at once, at most (Chromium's HTML tree builder caps nesting at 512 too). htmlparser2 keeps
 * its own stack of open elements with `unshift`, so every element opened costs the depth: without a cap a
 * page of unclosed `<div>`s is quadratic (1 MB took 9 s, 3 MB 92 s; one such page froze a worker).
 */
const MAX_DEPTH = 512;
class TooDeep extends Error {}

type Attrs = Record<string, string>;

/** One document's shape, read as htmlparser2 reports its tags: a stack of the elements open. */
class ShapeReader {
  readonly #shape: PageShape = { title: '', h1: '', lang: null, links: [], features: { form: false, table: false, media: false }, structure: [], text: '', canonical: null };
  readonly #structure = new Set<string>();
  readonly #bodyTokens = new Set<string>(); // the whole body's, for a page without a main landmark
  readonly #stack: Open[] = [];
  /** How many elements of each tag are open: a close tag that matches none costs nothing. */
  readonly #openTags = new Map<string, number>();
  readonly #text: string[] = [];
  readonly #links: LinkFact[] = [];
  #base: string;
  #skipDepth = 0;
  #inTitle = false;
  #inH1 = false;
  #h1Done = false;
  #hasMain = false;
  #textLen = 0;

  constructor(baseUrl: string, private readonly maxLinks: number) {
    this.#base = baseUrl;
  }

  #resolve(href: string): string | null {
    try {
      return new URL(href.trim(), this.#base).href;
    } catch {
      return null;
    }
  }

  #innermost<K extends 'token' | 'link' | 'form'>(key: K): Near[K] | undefined {
    return this.#near()[key] ?? undefined;
  }

  #near(): Near {
    return this.#stack.at(-1)?.near ?? ROOT;
  }

  #push(o: Omit<Open, 'near'>) {
    if (this.#stack.length >= MAX_DEPTH) throw new TooDeep();
    const up = this.#near();
    const near = { token: o.token ?? up.token, link: o.link ?? up.link, form: o.form ?? up.form, body: up.body || o.tag === 'body' };
    this.#stack.push({ ...o, near });
    this.#openTags.set(o.tag, (this.#openTags.get(o.tag) ?? 0) + 1);
  }

  open(tag: string, attrs: Attrs) {
    if (this.#skipDepth > 0 || SKIP_CONTENT.has(tag)) {
      if (!VOID.has(tag)) (this.#skipDepth++, this.#push({ tag, token: null, inMain: false, link: null, form: null, skip: true }));
      return;
    }
    this.#head(tag, attrs);
    const role = attrs.role?.toLowerCase();
    const isMain = tag === 'main' || role === 'main';
    if (isMain) this.#hasMain = true;
    const inMain = isMain || !!this.#stack.at(-1)?.inMain;
    const token = this.#placed(tag, attrs, role, inMain);
    const link = this.#link(tag, attrs);
    if (tag === 'form') {
      this.#push({ tag, token, inMain, link, form: { fields: 0, search: role === 'search' || /search|meklet|find|suche|recherche/i.test(`${attrs.action ?? ''} ${attrs.id ?? ''} ${attrs.class ?? ''}`) } });
      return;
    }
    this.#holds(tag, attrs);
    if (!VOID.has(tag)) this.#push({ tag, token, inMain, link, form: null });
  }

  /** The document's language, base, canonical address, title and first heading. */
  #head(tag: string, attrs: Attrs) {
    const shape = this.#shape;
    if (tag === 'html' && attrs.lang) shape.lang = attrs.lang.trim().toLowerCase() || null;
    if (tag === 'base' && attrs.href) this.#base = this.#resolve(attrs.href) ?? this.#base;
    if (tag === 'link' && /(^|\s)canonical(\s|$)/i.test(attrs.rel ?? '') && attrs.href && shape.canonical === null) shape.canonical = this.#resolve(attrs.href);
    if (tag === 'title') this.#inTitle = true;
    if (tag === 'h1' && !this.#h1Done) this.#inH1 = true;
  }

  /** Structure: elements a template places, never the prose inside them. Returns the element's token. */
  #placed(tag: string, attrs: Attrs, role: string | undefined, inMain: boolean): string | null {
    const classes = (attrs.class ?? '').split(/\s+/).filter(Boolean).map(classToken).sort();
    // A custom element is a component the template placed (`<gcds-card>`), whatever its attributes.
    const structural = classes.length > 0 || !!attrs.id || !!role || SECTIONING.has(tag) || tag.includes('-');
    if (!structural) return null;
    const token = `${tag}${role ? `[${role}]` : ''}${classes.map((c) => `.${c}`).join('')}`;
    const pair = `${this.#innermost('token') ?? 'body'}>${token}`;
    if (inMain) this.#structure.add(pair);
    this.#bodyTokens.add(pair);
    return token;
  }

  /**
   * Links: anchors and areas, custom elements that carry an href, the head's language versions. Returns
   * the link whose text is still to be read from its content (an image's alt counts).
   */
  #link(tag: string, attrs: Attrs): LinkFact | null {
    const isLink = (tag === 'a' || tag === 'area' || tag.includes('-')) && attrs.href !== undefined;
    const isAlternate = tag === 'link' && /(^|\s)alternate(\s|$)/i.test(attrs.rel ?? '') && !!attrs.hreflang && !!attrs.href;
    const href = (isLink || isAlternate) && this.#links.length < this.maxLinks ? this.#resolve(attrs.href!) : null;
    if (!href) {
      const open = tag === 'img' && attrs.alt ? this.#innermost('link') : undefined;
      if (open && !open.text) open.text = attrs.alt!;
      return null;
    }
    const link: LinkFact = { href, text: isAlternate ? '' : (attrs['aria-label'] ?? attrs.title ?? attrs.text ?? attrs.label ?? '') };
    if (attrs.download !== undefined && !isAlternate) link.download = true;
    const lang = attrs.hreflang ?? (isAlternate ? undefined : attrs.lang);
    if (lang) link.hreflang = lang.trim().slice(0, 20);
    this.#links.push(link);
    return isAlternate || link.text ? null : link; // its text is known: nothing to collect
  }

  /** What the page holds: a form's fields, data tables, media. */
  #holds(tag: string, attrs: Attrs) {
    const features = this.#shape.features;
    const form = this.#innermost('form');
    if (form && (tag === 'input' || tag === 'select' || tag === 'textarea')) {
      const type = (attrs.type ?? 'text').toLowerCase();
      if (type === 'search') form.search = true;
      if (!['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) form.fields += tag === 'input' && !['checkbox', 'radio', 'file'].includes(type) ? 1 : 2;
    }
    if (tag === 'th') features.table = true;
    if (tag === 'video' || tag === 'audio') features.media = true;
    if (tag === 'iframe' && attrs.src) {
      try {
        if (MEDIA_HOSTS.test(new URL(attrs.src, this.#base).hostname)) features.media = true;
      } catch { /* not a URL */ }
    }
  }

  text(data: string) {
    if (this.#skipDepth > 0) return;
    if (this.#inTitle) this.#shape.title += data;
    if (this.#inH1) this.#shape.h1 += data;
    const link = this.#innermost('link');
    if (link) link.text += data;
    if (this.#textLen < TEXT_MAX && this.#near().body) {
      this.#text.push(data);
      this.#textLen += data.length;
    }
  }

  close(tag: string) {
    // Pop to the matching element (htmlparser2 reports implied closes too).
    // Each element is popped once, so the walk down to the match costs linear time over the document.
    let i = this.#openTags.get(tag) ? this.#stack.length - 1 : -1;
    while (i >= 0 && this.#stack[i]!.tag !== tag) i--;
    for (const o of i >= 0 ? this.#stack.splice(i) : []) {
      this.#openTags.set(o.tag, this.#openTags.get(o.tag)! - 1);
      if (o.skip) this.#skipDepth--;
      if (o.form && (o.form.fields >= 2 && !(o.form.search && o.form.fields <= 2))) this.#shape.features.form = true;
    }
    if (tag === 'title') this.#inTitle = false;
    if (tag === 'h1' && this.#inH1) (this.#inH1 = false, this.#h1Done = true);
  }

  shape(): PageShape {
    const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
    return {
      ...this.#shape,
      title: clean(this.#shape.title).slice(0, 300),
      h1: clean(this.#shape.h1).slice(0, 300),
      text: clean(this.#text.join(' ')).slice(0, TEXT_MAX),
      links: this.#links.map((l) => ({ ...l, text: clean(l.text).slice(0, 200) })),
      structure: [...(this.#hasMain ? this.#structure : this.#bodyTokens)].sort(),
    };
  }
}

/** How alike two pages' templates are: the Jaccard index of their structure sets (1: the same). */
export function templateSimilarity(a: string[], b: string[]): number {
  if (!a.length && !b.length) return 1;
  const set = new Set(a);
  let shared = 0;
  for (const t of b) if (set.has(t)) shared++;
  return shared / (a.length + b.length - shared);
}
