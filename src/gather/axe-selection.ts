// Which axe-core rules a run selects, and which rules Lighthouse's accessibility gatherer runs: what lets
// one axe run per page serve both eindex's result and Lighthouse's accessibility score.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** An axe-core run's rule selection: `runOnly` by tags, then rules switched on or off by id. */
export interface AxeSelection { tags: string[]; rules: Record<string, boolean> }
export interface AxeRuleInfo { ruleId: string; tags: string[] }

/**
 * axe-core's own decision (ruleShouldRun, runOnly by tag): a rule switched on or off by id is; otherwise
 * it runs when it carries one of the tags and none of the tags axe leaves out unless asked for
 * (`experimental`, `deprecated`).
 */
export function selectsRule(rule: AxeRuleInfo, sel: AxeSelection, tagExclude: readonly string[]): boolean {
  const switched = sel.rules[rule.ruleId];
  if (typeof switched === 'boolean') return switched;
  if (!sel.tags.some((t) => rule.tags.includes(t))) return false;
  return tagExclude.filter((t) => !sel.tags.includes(t)).every((t) => !rule.tags.includes(t));
}

/**
 * Lighthouse's axe-core configuration read from its accessibility gatherer's source: `runOnly` tags and
 * the rules it switches on or off. Null when the source no longer reads as expected (a Lighthouse
 * upgrade): Lighthouse then runs axe-core itself, as it would alone.
 */
export function parseLighthouseAxeConfig(source: string): AxeSelection | null {
  const body = /async function runA11yChecks\(\)[\s\S]*?\n}\n/.exec(source)?.[0];
  if (!body) return null;
  const runOnly = /runOnly:\s*\{\s*type:\s*'tag',\s*values:\s*\[([^\]]*)\]/.exec(body);
  const rulesBlock = /\n\s*rules:\s*\{([\s\S]*?)\n\s*\},\n\s*\}\);/.exec(body);
  if (!runOnly || !rulesBlock) return null;
  const tags = [...runOnly[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  const rules: Record<string, boolean> = {};
  const entries = rulesBlock[1]!.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('//'));
  for (const line of entries) {
    const m = /^'([a-z0-9-]+)':\s*\{enabled:\s*(true|false)\},?$/.exec(line);
    if (!m) return null; // an entry we do not understand: better Lighthouse's own run than a guess
    rules[m[1]!] = m[2] === 'true';
  }
  return tags.length && Object.keys(rules).length ? { tags, rules } : null;
}

let lighthouseConfig: AxeSelection | null | undefined;
/** The installed Lighthouse's axe-core configuration (see parseLighthouseAxeConfig). */
export function lighthouseAxeConfig(): AxeSelection | null {
  if (lighthouseConfig === undefined) {
    try {
      const path = require.resolve('lighthouse/core/gather/gatherers/accessibility.js');
      lighthouseConfig = parseLighthouseAxeConfig(readFileSync(path, 'utf8'));
    } catch {
      lighthouseConfig = null;
    }
  }
  return lighthouseConfig;
}
