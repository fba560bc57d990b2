// Sitemaps (sitemaps.org): urlset, sitemap index, and the plain-text form. Pure: text in, URLs out.
//
// XML goes through a real streaming parser (sax, strict, namespace-aware), never a regex: only
// `urlset/url/loc` and `sitemapindex/sitemap/loc` count, in the sitemaps namespace (or none, as many
// sites write them); `<image:loc>`, `<video:loc>` and the like are other things, comments are comments,
// CDATA and entities are text. Parsing is linear and stops once `limit` URLs are read.
import sax from 'sax';

export interface ParsedSitemap {
  kind: 'urlset' | 'index' | 'text' | 'unknown';
  urls: string[];
  /** Why the file was not used, or was used only in part (malformed XML, cut at the size cap). */
  error?: string;
}

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const ours = (uri: string) => uri === '' || uri === SITEMAP_NS || uri === 'https://www.sitemaps.org/schemas/sitemap/0.9';

const MAX_DEPTH = 32;

/** How much text is handed to the parser at a time: the limit is checked between pieces. */
const PIECE = 64 * 1024;

/**
 * Extracts at most `limit` locations. `truncated`: the text was cut at the fetch's size cap, so an XML
 * error at its end is expected and the URLs read before it are kept; any other XML error makes the
 * sitemap unusable (its URLs are dropped and the error said).
 */
export function parseSitemap(text: string, limit = 5000, opts: { truncated?: boolean } = {}): ParsedSitemap {
  const body = text.replace(/^\uFEFF/, '');
  if (!/^\s*</.test(body)) {
    const urls = body.split(/\s+/).filter((line) => /^https?:\/\/\S+$/i.test(line)).slice(0, limit);
    return { kind: 'text', urls };
  }
  const parser = sax.parser(true, { xmlns: true, position: true });
  const path: { local: string; ns: string }[] = [];
  let kind: ParsedSitemap['kind'] = 'unknown';
  let root = '';
  const urls: string[] = [];
  let loc: string | null = null;
  let error: string | undefined;

  parser.onopentag = (tag) => {
    const t = tag as sax.QualifiedTag;
    path.push({ local: t.local, ns: t.uri });
    // A sitemap is three elements deep (extensions a few more): thousands of open tags are an attack.
    if (path.length > MAX_DEPTH) error ??= `line ${parser.line + 1}: elements nested more than ${MAX_DEPTH} deep`;
    if (path.length === 1) {
      root = t.name;
      if (ours(t.uri)) kind = t.local === 'urlset' ? 'urlset' : t.local === 'sitemapindex' ? 'index' : 'unknown';
    }
    if (isLoc()) loc = '';
  };
  parser.ontext = (s) => {
    if (loc !== null) loc += s;
  };
  parser.oncdata = (s) => {
    if (loc !== null) loc += s;
  };
  parser.onclosetag = () => {
    if (loc !== null && isLoc()) {
      const value = loc.trim();
      if (/^https?:\/\//i.test(value) && urls.length < limit) urls.push(value);
      loc = null;
    }
    path.pop();
  };
  parser.onerror = (err) => {
    error ??= `line ${parser.line + 1}: ${err.message.split('\n')[0]}`;
  };
  const isLoc = () => {
    if (path.length !== 3 || kind === 'unknown') return false;
    const [, entry, leaf] = path;
    return leaf!.local === 'loc' && ours(leaf!.ns) && ours(entry!.ns) && entry!.local === (kind === 'urlset' ? 'url' : 'sitemap');
  };

  try {
    for (let at = 0; at < body.length && urls.length < limit && !error; at += PIECE) parser.write(body.slice(at, at + PIECE));
    if (!error && urls.length < limit) parser.close();
  } catch (err) {
    // sax throws from write() after reporting: the first message is already kept.
    error ??= err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  // Not a sitemap at all (an HTML error page served as 200, an Atom feed): said as such, not as XML errors.
  if (kind === 'unknown') return { kind, urls: [], error: root ? `not a sitemap (its root element is <${root}>)` : `not a sitemap (${error ?? 'no XML element'})` };
  if (error && !opts.truncated) return { kind, urls: [], error: `malformed XML (${error})` };
  return { kind, urls, ...(error ? { error: `cut at the size cap; ${urls.length} URLs read before the cut` } : {}) };
}

/** gzip magic bytes: a sitemap.xml.gz, or a server that gzips without saying so. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
