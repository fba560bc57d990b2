// Does the site link an accessibility statement? The Web Accessibility Directive (EU 2016/2102) requires
// one on every public-sector site; Latvian sites title it "Piekļūstamības paziņojums".

/**
 * `download`: the link carries the download attribute: a file, not a page. `hreflang`: the link names the
 * language of what it points to (a language version of the site).
 */
export interface LinkFact { href: string; text: string; download?: boolean; hreflang?: string }

/** Lower-case, Latvian diacritics folded (ļ → l, ū → u), whitespace and separators collapsed. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[\s_\-+]+/g, ' ').trim();
}

const TEXT_PATTERNS = [
  /pieklustamibas pazinojum/,
  /pazinojum[a-z]* par (timeklvietnes |vietnes )?pieklustamib/,
  /accessibility statement/,
  /statement on accessibility/,
  /declaration (of|on) accessibility/,
];

export function isStatementLink(link: LinkFact): boolean {
  const text = fold(link.text);
  let path = '';
  try {
    path = fold(decodeURIComponent(new URL(link.href).pathname).replace(/[/.]/g, ' '));
  } catch { /* not a URL: text alone decides */ }
  return TEXT_PATTERNS.some((re) => re.test(text) || re.test(path));
}

export function findStatementLink(links: LinkFact[]): LinkFact | null {
  return links.find(isStatementLink) ?? null;
}
