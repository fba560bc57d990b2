// robots.txt as RFC 9309 reads it, tolerant of the malformed files real sites serve.

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
 * Picks the rules for `agentToken` (our product token, matched case-insensitively), falling back to
 * the `*` group. Groups naming the same agent are merged, as RFC 9309 says.
 */
export function parseRobots(text: string, agentToken: string): Robots {
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
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
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line belong to no group
    if (key === 'crawl-delay') {
      const n = Number.parseFloat(value);
      if (Number.isFinite(n) && n >= 0) current.crawlDelay = n;
    } else if (value || key === 'allow') {
      current.rules.push({ allow: key === 'allow', pattern: value });
    }
  }
  const token = agentToken.toLowerCase();
  const mine = groups.filter((g) => g.agents.some((a) => a !== '*' && token.includes(a.replace(/\/.*$/, ''))));
  const chosen = mine.length ? mine : groups.filter((g) => g.agents.includes('*'));
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== null);
  return {
    rules: chosen.flatMap((g) => g.rules).filter((r) => r.pattern !== '' || r.allow),
    crawlDelaySeconds: delays.length ? Math.max(...delays) : null,
    sitemaps,
  };
}

export const ALLOW_ALL: Robots = { rules: [], crawlDelaySeconds: null, sitemaps: [] };
/** What a server or network error on robots.txt means (RFC 9309 §2.3.1.4): assume complete disallow. */
export const DISALLOW_ALL: Robots = { rules: [{ allow: false, pattern: '/' }], crawlDelaySeconds: null, sitemaps: [] };

function patternToRegExp(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

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
  const path = normalisePercent(u.pathname + u.search);
  let best: RobotsRule | null = null;
  for (const rule of robots.rules) {
    if (!patternToRegExp(normalisePercent(rule.pattern)).test(path)) continue;
    if (!best || rule.pattern.length > best.pattern.length || (rule.pattern.length === best.pattern.length && rule.allow)) {
      best = rule;
    }
  }
  return best ? best.allow : true;
}
