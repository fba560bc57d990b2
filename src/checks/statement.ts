// Does the site link an accessibility statement? The Web Accessibility Directive (EU 2016/2102) requires
// one on every public-sector site; Latvian sites title it "Piekļūstamības paziņojums".

/**
 * `download`: the link carries the download attribute: a file, not a page. `hreflang`: the link names the
 * language of what it points to (a language version of the site).
 */
export interface LinkFact { href: string; text: string; download?: boolean; hreflang?: string }

/** Lower-case, Latvian diacritics folded (ļ → l, ū → u), whitespace and separators collapsed. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[\s_\-+]+/g, ' ').trim();
}

/** A statement named as one, in Latvian, English and the other EU languages: link text, title or heading. */
const TEXT_PATTERNS = [
  /pieklustamibas pazinojum/,
  /pazinojum[a-z]* par (timeklvietnes |vietnes )?pieklustamib/,
  /accessibility statement/,
  /statement on accessibility/,
  /declaration (of|on) accessibility/,
  /declaration d.accessibilite/, // fr
  /erklarung zur barrierefreiheit|barrierefreiheitserklarung/, // de
  /declaracion de accesibilidad/, // es
  /dichiarazione di accessibilita/, // it
  /toegankelijkheidsverklaring/, // nl
  /deklaracja dostepnosci/, // pl
  /prohlaseni o pristupnosti/, // cs
  /vyhlasenie o pristupnosti/, // sk
  /(ligipaasetavuse|juurdepaasetavuse) (teatis|avaldus)/, // et
  /prieinamumo (deklaracija|pareiskimas)|pareiskimas del prieinamumo/, // lt
  /saavutettavuusseloste/, // fi
  /tillganglighetsredogorelse/, // sv
  /tilgaengelighedserklaering|tilgangelighedserklaring/, // da
  /declaracao de acessibilidade/, // pt
  /declaratie de accesibilitate/, // ro
  /nyilatkozat.{0,20}akadalymentes|akadalymentesitesi nyilatkozat/, // hu
  /izjava o pristupacnosti|izjava o dostopnosti/, // hr, sl
  /δηλωση προσβασιμοτητας/, // el
  /декларация за достъпност/, // bg
];

/**
 * A link that may lead to the statement without naming it as one: "Piekļūstamība", "Accessibility",
 * "Accessibilité", "Barrierefreiheit", … in its text or its URL. Such a page is opened and counts only
 * when what it says confirms it (isStatementPage).
 */
// At a word's start: "Inaccessible" (a demo page's "inaccessible version") does not name accessibility.
const WORD_PATTERNS = /(?<![\p{L}\p{N}])(pieklustamib|accessib|barrierefrei|accesibilid|toegankelijk|dostepnos|pristupnost|ligipaasetav|juurdepaasetav|prieinamum|saavutettav|tillganglig|tilgaengelig|tilgangelig|acessibilid|accesibilit|akadalymentes|pristupacnost|dostopnost|προσβασιμοτητ|достъпност|inrochtaineacht|accessibbilt|a11y)/u;

function foldedPath(href: string): string {
  try {
    return fold(decodeURIComponent(new URL(href).pathname).replace(/[/.]/g, ' '));
  } catch {
    return '';
  }
}

export function isStatementCandidate(link: LinkFact): boolean {
  return isStatementLink(link) || WORD_PATTERNS.test(fold(link.text)) || WORD_PATTERNS.test(foldedPath(link.href));
}

/**
 * Whether a page is an accessibility statement by what it says: its title or main heading names one, or
 * names accessibility while its text cites what a statement must (Directive 2016/2102, WCAG, EN 301 549).
 */
export function isStatementPage(page: { title: string; h1: string; text: string }): boolean {
  const heads = [fold(page.title), fold(page.h1)];
  if (heads.some((h) => TEXT_PATTERNS.some((re) => re.test(h)))) return true;
  // Or a heading that names accessibility over a text that says what only a statement says: the
  // Directive or its model statement (Implementing Decision 2018/1523), EN 301 549, or a statement's name.
  // WCAG alone is not enough: pages about accessibility cite it too.
  const text = fold(page.text).slice(0, 4000);
  const cites = /2016\/2102|2018\/1523|en 301 549/.test(text) || TEXT_PATTERNS.some((re) => re.test(text));
  return cites && heads.some((h) => WORD_PATTERNS.test(h));
}

/** A link named as the statement: counted without opening it. */
export function isStatementLink(link: LinkFact): boolean {
  const text = fold(link.text);
  const path = foldedPath(link.href);
  return TEXT_PATTERNS.some((re) => re.test(text) || re.test(path));
}

export function findStatementLink(links: LinkFact[]): LinkFact | null {
  return links.find(isStatementLink) ?? null;
}
