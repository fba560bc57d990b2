// robots.txt as RFC 9309 reads it, tolerant of the malformed files real sites serve.
//
// - A group applies to us when one of its user-agent lines names our product token exactly (case-
//   insensitively): `User-agent: index`, `User-agent: e` or an empty `User-agent:` are other crawlers.
//   Groups naming us are merged; with none, the `*` groups are (§2.2.1).
// - The most specific rule (the longest pattern, in octets) wins; an allow wins a tie (§2.2.2).
// - `*` and a final `$` are matched in linear time: literal pieces found left to right, never a regex
//   that backtracks (a line of many `*`s used to take exponential time).

export interface RobotsRule { allow: boolean; pattern: string }
export interface Robots {
  rules: RobotsRule[];
  crawlDelaySeconds: number | null;
  sitemaps: string[];
}

const KEY_ALIASES: Record<string, string> = {
  'user-agent': 'user-agent', useragent: 'user-agent', 'user agent': 'user-agent',
  disallow: 'disallow', dissallow: 'disallow', disalow: 'disallow', dissalow: 'disallow', 'dis-allow': 'disallow',
  allow: 'allow', sitemap: 'sitemap', 'site-map': 'sitemap', 'crawl-delay': 'crawl-delay', crawldelay: 'crawl-delay',
};

interface Group { agents: string[]; rules: RobotsRule[]; crawlDelay: number | null }

/**
 * The product token a user-agent line names: its leading run of letters, `_` and `-` (RFC 9309 §2.2.1),
 * so `eindex/1.0` names `eindex`. `*` stays `*`; anything else (an empty value) names no crawler.
 */
export function productToken(value: string): string {
  const v = value.trim();
  if (v.startsWith('*')) return '*';
  return (/^[A-Za-z_-]+/.exec(v)?.[0] ?? '').toLowerCase();
}

/** Picks the rules for `agentToken` (our product token), falling back to the `*` groups. */
export function parseRobots(text: string, agentToken: string): Robots {
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const hash = rawLine.indexOf('#');
    const line = (hash >= 0 ? rawLine.slice(0, hash) : rawLine).trim();
    if (!line) continue;
    // "Key: value"; some files drop the colon ("Disallow /private"), so a space also separates.
    const m = /^([A-Za-z-]+(?: agent)?)\s*(?::\s*|\s+)(.*)$/.exec(line) ?? /^([A-Za-z-]+)\s*:?\s*$/.exec(line);
    if (!m) continue;
    const key = KEY_ALIASES[m[1]!.toLowerCase()];
    const value = (m[2] ?? '').trim();
    if (!key) continue;
    if (key === 'sitemap') {
      if (value) sitemaps.push(value);
      continue;
    }
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], crawlDelay: null };
        groups.push(current);
      }
      current.agents.push(productToken(value));
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line belong to no group
    if (key === 'crawl-delay') {
      const n = Number.parseFloat(value);
      if (Number.isFinite(n) && n >= 0) current.crawlDelay = n;
    } else if (value) {
      // An empty Disallow allows everything, and an empty Allow says nothing: neither is a rule.
      current.rules.push({ allow: key === 'allow', pattern: value });
    }
  }
  const token = agentToken.toLowerCase();
  const mine = groups.filter((g) => g.agents.includes(token));
  const chosen = mine.length ? mine : groups.filter((g) => g.agents.includes('*'));
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== null);
  return {
    rules: chosen.flatMap((g) => g.rules),
    crawlDelaySeconds: delays.length ? Math.max(...delays) : null,
    sitemaps,
  };
}

export const ALLOW_ALL: Robots = { rules: [], crawlDelaySeconds: null, sitemaps: [] };
/** What a server or network error on robots.txt means (RFC 9309 §2.3.1.4): assume complete disallow. */
export const DISALLOW_ALL: Robots = { rules: [{ allow: false, pattern: '/' }], crawlDelaySeconds: null, sitemaps: [] };

/**
 * Whether `path` matches a robots.txt pattern: a prefix match where `*` stands for any run of characters
 * and a final `$` anchors the end. Each literal piece is found leftmost after the previous one, which is
 * exact for `*`-only globs and linear in the path's length per piece.
 */
export function matchesPattern(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const pieces = (anchored ? pattern.slice(0, -1) : pattern).split('*');
  const first = pieces[0]!;
  if (!path.startsWith(first)) return false;
  if (pieces.length === 1) return anchored ? path.length === first.length : true;
  const last = pieces.at(-1)!;
  // With `$`, the last piece must end the path; the middle pieces must fit between.
  const end = anchored ? path.length - last.length : path.length;
  if (anchored && (end < first.length || !path.endsWith(last))) return false;
  let at = first.length;
  for (let i = 1; i < pieces.length - (anchored ? 1 : 0); i++) {
    const piece = pieces[i]!;
    if (!piece) continue;
    const found = path.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** Percent-encoding written either way matches: `/ä` and `/%C3%A4` are the same path. */
function normalisePercent(path: string): string {
  try {
    return encodeURI(decodeURI(path));
  } catch {
    return path;
  }
}

/** The longest matching rule wins; on a tie, allow wins. No matching rule: allowed. */
export function isAllowed(robots: Robots, url: URL | string): boolean {
  const u = new URL(String(url));
  // RFC 9309 §2.2.2: /robots.txt itself is always allowed.
  if (u.pathname === '/robots.txt') return true;
  const path = normalisePercent(u.pathname + u.search);
  let best: RobotsRule | null = null;
  for (const rule of robots.rules) {
    if (best && rule.pattern.length < best.pattern.length) continue;
    if (!matchesPattern(normalisePercent(rule.pattern), path)) continue;
    if (!best || rule.pattern.length > best.pattern.length || rule.allow) best = rule;
  }
  return best ? best.allow : true;
}
