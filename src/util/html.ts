// HTML is built with one auto-escaping tag, html`…`: every value put into it is escaped unless it is
// itself Html (made by html`…` or by an Html-returning function). Arrays are joined with nothing, and
// null, undefined and false leave nothing. The safe way is the only way: an Html cannot be turned into a
// string by accident (its toString throws), so joining Html with Array.join or + fails loudly instead of
// escaping it twice or not at all; `joinHtml` joins with a separator and `.toString()` is never called.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export class Html {
  /** Markup made by html`…`, or text known not to need escaping (see `trustedHtml`). */
  constructor(readonly markup: string) {}

  toString(): string {
    throw new Error('an Html value was turned into a string: put it into html`…`, or join it with joinHtml');
  }
}

/** What html`…` takes: text (escaped), numbers, Html (as it is), lists of them; nothing for null/false. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.markup;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escape(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

export function joinHtml(items: readonly HtmlValue[], separator: string): Html {
  return new Html(items.map(render).join(escape(separator)));
}

/**
 * Markup that is ours, not data: a style sheet put into <style> (where an escaped ">" would break its
 * selectors) and a document already built by html`…` read back. Never for anything from a page or a user.
 */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}

/** The document as text, to write or send. */
export function htmlText(doc: Html): string {
  return doc.markup;
}

/** Only http(s) links may become href attributes in our reports; anything else is shown as text. */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
