// URL rules of discovery: what is the same page, what is the same site, what is not a web page.
import { UserError } from '../util/errors.js';

const TRACKING_PARAMS = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|ref_src)$/i;

/** Extensions of files that are documents or media, not web pages: listed, never loaded as pages. */
const DOCUMENT_TYPES: Record<string, string> = {
  pdf: 'pdf', doc: 'office', docx: 'office', xls: 'office', xlsx: 'office', ppt: 'office', pptx: 'office',
  odt: 'office', ods: 'office', odp: 'office', rtf: 'office', csv: 'data', xml: 'data', json: 'data',
  edoc: 'signed', asice: 'signed', bdoc: 'signed', zip: 'archive', rar: 'archive', '7z': 'archive', gz: 'archive',
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', svg: 'image', webp: 'image', bmp: 'image',
  ico: 'image', tif: 'image', tiff: 'image', mp3: 'media', mp4: 'media', avi: 'media', mov: 'media',
  wav: 'media', webm: 'media', ogg: 'media', wmv: 'media', css: 'asset', js: 'asset', exe: 'binary', dmg: 'binary',
};

/**
 * Whether a URL typed by a person names its scheme: "https://x.lv", "ftp://…", "mailto:…" do;
 * "x.lv", "127.0.0.1:9101" and "localhost:8080" do not (a host and port is not a scheme).
 */
export function hasScheme(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim()) || /^(mailto|javascript|data|file|tel|about|blob):/i.test(input.trim());
}

/** Parses a URL given on the command line; anything but an absolute http(s) URL is a user error. */
export function parseStartUrl(input: string): URL {
  const path = /^file:\/\//i.test(input) ? decodeURIComponent(input.replace(/^file:\/\//i, '')) : /^(\/|\.{1,2}\/|~\/|[a-z]:\\)/i.test(input) ? input : null;
  if (path !== null) {
    // "/tmp/page.html" read as a host said "tmp does not resolve".
    const slash = path.lastIndexOf('/');
    const [dir, file] = slash > 0 ? [path.slice(0, slash), path.slice(slash + 1)] : ['.', path.replace(/^\//, '')];
    throw new UserError(`${JSON.stringify(input)} is a file, not a web address: eindex audits pages as a browser loads them from a server. Serve the folder first (python3 -m http.server 8080 -d ${dir}) and audit http://localhost:8080/${file}`);
  }
  let url: URL;
  try {
    url = new URL(hasScheme(input) ? input : `https://${input}`);
  } catch {
    throw new UserError(`invalid URL: ${JSON.stringify(input)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`unsupported URL scheme "${url.protocol.replace(':', '')}" in ${JSON.stringify(input)}: only http and https can be audited`);
  }
  if (!url.hostname) throw new UserError(`invalid URL: ${JSON.stringify(input)} has no host`);
  url.hash = '';
  return url;
}

export type LinkKind = { kind: 'page'; url: URL } | { kind: 'document'; url: URL; type: string } | { kind: 'skip'; reason: string };

/** Classifies an href found on a page (resolved against the page URL). */
export function classifyLink(href: string, base: string, download = false): LinkKind {
  const trimmed = href.trim();
  if (!trimmed || trimmed.startsWith('#')) return { kind: 'skip', reason: 'fragment' };
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return { kind: 'skip', reason: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'skip', reason: url.protocol.replace(':', '') };
  const ext = /\.([a-z0-9]{1,5})$/i.exec(url.pathname)?.[1]?.toLowerCase();
  const type = (ext ? DOCUMENT_TYPES[ext] : undefined) ?? (download ? 'download' : undefined);
  url.hash = '';
  if (type) return { kind: 'document', url, type };
  return { kind: 'page', url };
}

/** Drops tracking parameters, the fragment and default ports; the URL stays loadable. */
export function cleanUrl(input: URL | string): URL {
  const url = new URL(String(input));
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  if (url.search === '?') url.search = '';
  return url; // the WHATWG parser already drops default ports and lower-cases the host
}

/** The site a host belongs to: www.x.lv and x.lv are one site. */
export function siteHost(url: URL | string): string {
  const u = new URL(String(url));
  return `${u.hostname.toLowerCase().replace(/^www\./, '')}${u.port ? `:${u.port}` : ''}`;
}

export function sameSite(a: URL | string, b: URL | string): boolean {
  return siteHost(a) === siteHost(b);
}

/**
 * The part of a host a start URL names (two institutions under one host are two sites): its folder.
 * `/` is the whole host; `/iestade-a/` is that folder; a file (`/iestade-a/index.html`, `/page.php`)
 * stands for the folder it is in. A last segment with neither a slash nor a dot (`/iestade-a`, but also a
 * home page at `/lv/sakums`) is a folder only if the start page links into it (SiteSampler.settleScope):
 * until then it is taken as one, with the folder it is in as the `fallback`.
 */
export function siteScope(start: URL | string): { scope: string; fallback: string | null } {
  const path = new URL(start).pathname;
  const slash = path.lastIndexOf('/');
  const last = path.slice(slash + 1);
  const folder = path.slice(0, slash + 1);
  if (last === '') return { scope: path, fallback: null };
  return last.includes('.') ? { scope: folder, fallback: null } : { scope: `${path}/`, fallback: folder };
}

/** Whether a URL is inside a scope (siteScope): its folder, or the folder named without its slash. */
export function inScope(url: URL | string, scope: string): boolean {
  if (scope === '/') return true;
  const path = new URL(url).pathname;
  return path.startsWith(scope) || `${path}/` === scope;
}

/** A folder's index document: `/`, `/index.html` and `/default.aspx` serve one page. */
const INDEX_DOCUMENT = /\/(index|default)\.(html?|php|aspx?|jsp)$/i;

/**
 * The identity of a page for de-duplication: scheme, www., trailing slash, a folder's index document
 * (`/en/` and `/en/index.html`), parameter order and tracking parameters do not make a different page.
 */
export function pageKey(input: URL | string): string {
  const url = cleanUrl(input);
  const params = [...url.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  const folder = url.pathname.replace(INDEX_DOCUMENT, '/');
  const path = folder.length > 1 ? folder.replace(/\/+$/, '') : '/';
  return `${siteHost(url)}${path}${query}`;
}

/** The first path segment: used to spread a sample across a site's sections. */
export function sectionOf(url: URL | string): string {
  return new URL(String(url)).pathname.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
}

/**
 * Where a meta refresh sends the visitor, when it is a redirect to follow: `content` is "0; url=/en/".
 * A refresh with no URL only reloads the page. An immediate one (at most 1 s: what axe-core's meta-refresh
 * rule does not count as a timed refresh) is a redirect on any page; the start page's is followed
 * whatever its delay, since the site's visitors all land where it points.
 */
export function metaRefreshTarget(content: string | null, base: string, isStart: boolean): string | null {
  const m = /^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(.*?)\2\s*$/i.exec(content ?? '');
  if (!m || !m[3]) return null;
  const delay = Number(m[1] ?? 0);
  if (delay > 1 && !isStart) return null;
  let url: URL;
  try {
    url = new URL(m[3], base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  const here = new URL(base);
  here.hash = '';
  return url.href === here.href ? null : url.href;
}
