// Sitemaps (sitemaps.org): urlset, sitemap index, and the plain-text form. Pure: bytes in, URLs out.

export interface ParsedSitemap {
  kind: 'urlset' | 'index' | 'text' | 'unknown';
  urls: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text
    .replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .trim();
}

/** Extracts at most `limit` locations; a 50,000-URL sitemap is not read further than needed. */
export function parseSitemap(text: string, limit = 5000): ParsedSitemap {
  const head = text.slice(0, 2000);
  const isIndex = /<sitemapindex[\s>]/i.test(head);
  const isUrlset = /<urlset[\s>]/i.test(head);
  if (isIndex || isUrlset) {
    const urls: string[] = [];
    const re = /<(?:[a-z0-9]+:)?loc>\s*([\s\S]*?)\s*<\/(?:[a-z0-9]+:)?loc>/gi;
    for (let m = re.exec(text); m && urls.length < limit; m = re.exec(text)) {
      const loc = decodeXmlText(m[1]!);
      if (/^https?:\/\//i.test(loc)) urls.push(loc);
    }
    return { kind: isIndex ? 'index' : 'urlset', urls };
  }
  if (!/^\s*</.test(text)) {
    const urls = text.split(/\s+/).filter((line) => /^https?:\/\/\S+$/i.test(line)).slice(0, limit);
    return { kind: 'text', urls };
  }
  return { kind: 'unknown', urls: [] };
}

/** gzip magic bytes: a sitemap.xml.gz, or a server that gzips without saying so. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
