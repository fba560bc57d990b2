// The pages every visitor of a public-sector site needs, recognised by the links that lead to them
// (their text or their URL, in Latvian, English and the other EU languages): WCAG-EM step 3.a's "common
// web pages" and the pages Implementing Decision (EU) 2018/1524 asks a sample to include. Pure.
import { fold } from '../checks/statement.js';
import type { LinkFact } from '../checks/statement.js';

export type CommonPageKind = 'contact' | 'privacy' | 'cookies' | 'legal' | 'sitemap' | 'help' | 'search' | 'login';

/** In the order a sample takes them when it has room for only some. */
export const COMMON_PAGE_KINDS: readonly CommonPageKind[] = ['contact', 'privacy', 'cookies', 'legal', 'sitemap', 'help', 'search', 'login'];

// Folded (lower case, no diacritics), matched against the link text and against the URL path's words.
// \b knows only ASCII letters: words are bounded by anything but a letter or digit of any script.
const word = (re: RegExp) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${re.source})(?![\\p{L}\\p{N}])`, 'u');

const PATTERNS: Record<CommonPageKind, RegExp> = {
  contact: word(/contact(s|ez|o|os|e)?|kontakt(i|s|y|e|ai|id|it)?|sazin(a|ies|ai)|nous joindre|coordonnees|contatti|yhteystiedot|kapcsolat|επικοινωνια|контакти|rekvizit(i|u)/),
  privacy: word(/privacy|privatum(a|s|o)|personas datu|personal data|datu aizsardzib|data protection|confidentialite|vie privee|donnees personnelles|datenschutz|privacidad|proteccion de datos|privacidade|riservatezza|tietosuoja|integritetspolicy|privatlivs?politik|prywatnosc|ochrana osobnich udaju|adatvedelem|isikuandmete|gdpr|vdar/),
  cookies: word(/cookies?|sikdatn(es|u|em)?|sikfail|temoins|galletas|evasteet|kakor|sutiktuki/),
  legal: word(/legal (notice|information)|terms( of use| and conditions)|lietosanas noteikumi|mentions legales|impressum|aviso legal|note legali|colofon|disclaimer|atruna/),
  sitemap: word(/site ?map|vietnes karte|vietnes struktura|lapas karte|plan du site|mapa del sitio|mappa del sito|seitenubersicht|sivukartta|webbplatskarta|mapa stron/),
  help: word(/help|palidz(iba|ib)|aide|hilfe|ayuda|aiuto|faq|biezak uzdot|questions frequentes|ohje|pagalba|pomoc/),
  search: word(/search|mekle(t|sana)|recherche|suche|buscar|busqueda|cerca|ricerca|haku|paieska|szukaj/),
  login: word(/log ?in|sign ?in|pieslegties|ielogoties|autorizacija|autorizeties|connexion|se connecter|anmelden|iniciar sesion|accedi|kirjaudu|logga in|prisijungti|zaloguj/),
};

/** The URL's last path segment as words, when it is short enough to be a page's name ("contact-us"). */
function lastSegment(href: string): string {
  try {
    const segment = decodeURIComponent(new URL(href).pathname).split('/').filter(Boolean).at(-1) ?? '';
    const words = fold(segment.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[._]+/g, ' '));
    return words.split(' ').length <= 3 ? words : '';
  } catch {
    return '';
  }
}

/** Which common page a link leads to, if any: by its text first, then by its URL. */
export function commonPageKind(link: LinkFact): CommonPageKind | null {
  const text = fold(link.text);
  if (text.length <= 60) for (const kind of COMMON_PAGE_KINDS) if (PATTERNS[kind].test(text)) return kind;
  const name = lastSegment(link.href);
  for (const kind of COMMON_PAGE_KINDS) if (PATTERNS[kind].exec(name)?.index === 0) return kind;
  return null;
}
