// axe-core, injected by us (not @axe-core/playwright, whose current release needs Node 22) into every
// frame, run from the top frame so that iframes are audited the way axe itself does it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResult, AxeRuleResult, Impact } from '../schema/result.js';
import type { TargetFacts } from '../checks/mobile.js';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_VERSION: string = require('axe-core/package.json').version;
let axeSource: string | undefined;

function source(): string {
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  return axeSource;
}

const CONFIGURE = `;axe.configure({ allowedOrigins: ['<unsafe_all_origins>'], branding: { application: 'eindex' } });0`;

async function injectEverywhere(page: Page) {
  // The top frame through CDP directly: Playwright's evaluate of a 600 kB string costs ~0.1 s more.
  const cdp = await page.context().newCDPSession(page);
  try {
    const r = (await cdp.send('Runtime.evaluate', { expression: source() + CONFIGURE })) as { exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`axe-core could not be injected: ${r.exceptionDetails.text}`);
  } finally {
    await cdp.detach().catch(() => {});
  }
  await Promise.all(
    page.frames().slice(1).map((frame) =>
      frame.evaluate(source() + CONFIGURE).catch(() => {
        /* a frame that navigated away or was detached: axe in the top frame reports it as it can */
      }),
    ),
  );
}

interface RawNode { target: unknown[]; html: string; failureSummary?: string }
interface RawRule { id: string; impact?: string | null; description: string; help: string; helpUrl: string; tags: string[]; nodes: RawNode[] }
interface RawResults { violations: RawRule[]; incomplete: RawRule[]; passes: RawRule[]; inapplicable: { id: string }[]; testEngine: { version: string } }

/** "wcag143" → "1.4.3", "wcag1410" → "1.4.10". */
export function wcagCriteria(tags: string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const m = /^wcag(\d)(\d)(\d+)$/.exec(tag);
    if (m) out.push(`${m[1]}.${m[2]}.${m[3]}`);
  }
  return out;
}

function toRule(r: RawRule): AxeRuleResult {
  return {
    id: r.id,
    impact: (r.impact ?? null) as Impact | null,
    description: r.description,
    help: r.help,
    helpUrl: r.helpUrl,
    tags: r.tags,
    wcag: wcagCriteria(r.tags),
    nodes: r.nodes.map((n) => ({
      target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))),
      html: n.html,
      ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}),
    })),
  };
}

/** The rule the mobile verdict reads for tap targets (WCAG 2.5.8; Lighthouse 12's target-size audit runs it too). */
export const TARGET_SIZE_RULE = 'target-size';

/** axe-core's target-size measurement, kept for the mobile verdict whatever tags the audit runs. */
export function targetFacts(rule: { violations: AxeRuleResult[]; passes: AxeResult['passes'] }): TargetFacts {
  const failing = rule.violations.find((r) => r.id === TARGET_SIZE_RULE)?.nodes ?? [];
  const passing = rule.passes.find((r) => r.id === TARGET_SIZE_RULE)?.nodes ?? 0;
  return { checked: passing + failing.length, failing: failing.length, examples: failing.slice(0, 5).map((n) => n.html.slice(0, 200)) };
}

/**
 * Runs axe with the given tags, plus target-size for the mobile verdict: when the tags leave that rule
 * out, it runs all the same and its results are taken out of the accessibility result. The caller races
 * this against the page's deadline: axe has no timeout of its own, and only closing the page stops it.
 */
export async function runAxe(page: Page, tags: string[], o: { exclude?: string[]; ignoreRules?: string[] } = {}): Promise<{ axe: AxeResult; targets: TargetFacts }> {
  await injectEverywhere(page);
  const raw = await page.evaluate(async ({ values, extra, exclude }) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown>; _audit: { rules: { id: string; impact?: string }[] } } }).axe;
    for (const selector of exclude) {
      try {
        document.querySelector(selector);
      } catch {
        throw new Error(`--exclude: ${JSON.stringify(selector)} is not a valid CSS selector`);
      }
    }
    // Excluded content (a widget the site does not control) is not checked at all: axe's own context.
    const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
    const full = (await axe.run(context, { runOnly: { type: 'tag', values }, rules: { [extra]: { enabled: true } } })) as RawResults;
    // Passing rules carry no impact in results; the rule's own declared impact weighs it in scoring.
    const impacts = Object.fromEntries(axe._audit.rules.map((r) => [r.id, r.impact ?? null]));
    // Passing nodes are only counted: their selectors and snippets never cross into Node.
    const passes = full.passes.map((r) => ({ id: r.id, nodes: r.nodes.length }));
    const results = { ...full, passes: [], inapplicable: full.inapplicable.map((r) => ({ id: r.id })) };
    return { results, impacts, passes };
  }, { values: tags, extra: TARGET_SIZE_RULE, exclude: o.exclude ?? [] }) as { results: RawResults; impacts: Record<string, string | null>; passes: { id: string; nodes: number }[] };
  const { results, impacts, passes } = raw;
  const axe: AxeResult = {
    version: results.testEngine.version,
    tags,
    violations: results.violations.map(toRule),
    needsReview: results.incomplete.map(toRule),
    passes: passes.map((r) => ({ id: r.id, impact: (impacts[r.id] ?? null) as Impact | null, nodes: r.nodes })),
    inapplicable: results.inapplicable.map((r) => r.id),
  };
  const targets = targetFacts(axe);
  if (!axeRuleTags(TARGET_SIZE_RULE).some((t) => tags.includes(t))) {
    const other = (r: { id: string }) => r.id !== TARGET_SIZE_RULE;
    axe.violations = axe.violations.filter(other);
    axe.needsReview = axe.needsReview.filter(other);
    axe.passes = axe.passes.filter(other);
    axe.inapplicable = axe.inapplicable.filter((id) => id !== TARGET_SIZE_RULE);
  }
  // Ignored rules still run (target-size still feeds the mobile verdict) but leave the result and grade.
  if (o.ignoreRules?.length) {
    const kept = (r: { id: string }) => !o.ignoreRules!.includes(r.id);
    axe.violations = axe.violations.filter(kept);
    axe.needsReview = axe.needsReview.filter(kept);
    axe.passes = axe.passes.filter(kept);
    axe.inapplicable = axe.inapplicable.filter((id) => !o.ignoreRules!.includes(id));
  }
  return { axe, targets };
}

interface AxeRuleInfo { ruleId: string; tags: string[] }
let rules: AxeRuleInfo[] | undefined;
/** axe-core's own rule list, read in Node (getRules needs no page). */
function axeRules(): AxeRuleInfo[] {
  rules ??= (require('axe-core') as { getRules(): AxeRuleInfo[] }).getRules();
  return rules;
}

function axeRuleTags(id: string): string[] {
  return axeRules().find((r) => r.ruleId === id)?.tags ?? [];
}

/** The ids of axe-core's rules. */
export function knownAxeRules(): Set<string> {
  return new Set(axeRules().map((r) => r.ruleId));
}

/** Every tag some axe-core rule carries: what `--tags` may name. */
export function knownAxeTags(): Set<string> {
  return new Set(axeRules().flatMap((r) => r.tags));
}
