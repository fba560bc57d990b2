// What the crawl sees that a survey answer can be checked against: links to the institution's social
// network profiles, to open data, to public participation, to e-services. Evidence only: it never
// replaces a survey value (METHODOLOGY.md). Pure: links in, categorised URLs out.
import type { LinkFact } from './statement.js';

export type ObservedKind = 'social' | 'openData' | 'participation' | 'eServices';
export type Observed = Record<ObservedKind, string[]>;

/** The e-index sub-criterion each kind of evidence bears on. */
export const OBSERVED_CRITERION: Record<ObservedKind, string> = {
  social: 'communication.social',
  openData: 'opendata.availability',
  participation: 'communication.participation',
  eServices: 'service.usability',
};

const SOCIAL_HOSTS = /(^|\.)(facebook\.com|fb\.com|x\.com|twitter\.com|instagram\.com|youtube\.com|youtu\.be|linkedin\.com|tiktok\.com|draugiem\.lv|threads\.net|flickr\.com|vimeo\.com|t\.me|bsky\.app)$/;
/** Share buttons and the platforms' own pages are not the institution's profile. */
const SOCIAL_NOT_PROFILE = /\/(sharer|share|intent|dialog|plugins|hashtag|search|login|policies|privacy|legal|help)(\/|\.php|$|\?)/i;
const OPEN_DATA_HOSTS = /(^|\.)data\.gov\.lv$|^(opendata|atvertiedati|data)\./;
const OPEN_DATA_WORDS = /atv[eē]rt(ie|o)\s*dat|open\s*data|opendata|\/dataset(s)?\//i;
const PARTICIPATION_HOSTS = /(^|\.)(manabalss\.lv|tapportals\.mk\.gov\.lv|lidzdaliba\.gov\.lv)$/;
const PARTICIPATION_WORDS = /l[iī]dzdal[iī]b|sabiedrisk[aā]\s*apspried|apspriešan|apspriesan|public\s*(participation|consultation)|e-?participation|iesaisties/i;
const ESERVICE_HOSTS = /(^|\.)(latvija\.gov\.lv|latvija\.lv|epakalpojumi\.lv)$|^(e|epakalpojumi|eservices|pakalpojumi)\./;
const ESERVICE_WORDS = /e-?pakalpojum|e-?services?\b|pieteikties\s*tie[sš]saist|online\s*services?/i;

const MAX_PER_KIND = 10;

export function observedOn(links: LinkFact[], into: Observed = emptyObserved()): Observed {
  for (const link of links) {
    let url: URL;
    try {
      url = new URL(link.href);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const host = url.hostname.toLowerCase().replace(/^www\./, '');
    const words = `${link.text} ${decodeURIComponent(url.pathname)}`;
    const kind: ObservedKind | null =
      SOCIAL_HOSTS.test(host) ? (SOCIAL_NOT_PROFILE.test(url.pathname) || url.pathname.length <= 1 ? null : 'social')
      : OPEN_DATA_HOSTS.test(host) || OPEN_DATA_WORDS.test(words) ? 'openData'
      : PARTICIPATION_HOSTS.test(host) || PARTICIPATION_WORDS.test(words) ? 'participation'
      : ESERVICE_HOSTS.test(host) || ESERVICE_WORDS.test(words) ? 'eServices'
      : null;
    if (!kind) continue;
    const list = into[kind];
    const clean = `${url.origin}${url.pathname}${url.search}`;
    if (list.length < MAX_PER_KIND && !list.includes(clean)) list.push(clean);
  }
  return into;
}

export function emptyObserved(): Observed {
  return { social: [], openData: [], participation: [], eServices: [] };
}
