// axe-core, injected by us (not @axe-core/playwright, whose current release needs Node 22) into every
// frame, run from the top frame so that iframes are audited the way axe itself does it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import { DeadlineError } from '../util/errors.js';
import { withDeadline } from '../util/time.js';
import type { AxeResult, AxeRuleResult, Impact } from '../schema/result.js';
import type { TargetFacts } from '../checks/mobile.js';
import { tabSession } from './tab-session.js';
import { lighthouseAxeConfig, selectsRule, type AxeRuleInfo, type AxeSelection } from './axe-selection.js';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_VERSION: string = require('axe-core/package.json').version;
let axeSource: string | undefined;

function source(): string {
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  return axeSource;
}

const CONFIGURE = `;axe.configure({ allowedOrigins: ['<unsafe_all_origins>'], branding: { application: 'eindex' } });0`;

async function injectTop(page: Page) {
  // The top frame through CDP directly: Playwright's evaluate of a 600 kB string costs ~0.1 s more.
  const cdp = await tabSession(page);
  const r = (await cdp.send('Runtime.evaluate', { expression: source() + CONFIGURE })) as { exceptionDetails?: { text: string } };
  if (r.exceptionDetails) throw new Error(`axe-core could not be injected: ${r.exceptionDetails.text}`);
}

/**
 * Starts injecting axe-core into the top frame while the page is still settling (compiling 650 kB in a
 * new document takes the renderer ~0.1 s, time the audit otherwise waits for); runAxe finishes the job,
 * injecting again if the page has since replaced its document or its own script took the name `axe`.
 */
export function preloadAxe(page: Page): Promise<void> {
  const early = injectTop(page);
  early.catch(() => {});
  return early;
}

async function injectTopOnce(page: Page, preloaded?: Promise<void>) {
  const ready = preloaded
    && (await preloaded.then(() => true, () => false))
    && (await page.evaluate((version) => {
      const axe = (window as unknown as { axe?: { version?: string; runPartial?: unknown } }).axe;
      return axe?.version === version && typeof axe.runPartial === 'function';
    }, AXE_VERSION));
  if (!ready) await injectTop(page);
}

/** How long the frames a page embeds may take, together, to load once their lazy loading is lifted. */
const FRAME_LOAD_MS = 3000;
/** How long one frame's axe-core run may take before the frame is listed as not audited. */
const FRAME_AXE_MS = 8000;
/** Frames audited at most per page (nested ones included); the rest are listed as skipped. */
const MAX_FRAMES = 50;

/**
 * Lazy frames (`loading="lazy"`: maps, videos, booking widgets below the fold) are loaded as a visitor
 * scrolling the page would load them, by lifting the lazy loading; then every frame gets a short, shared
 * time to finish loading. A frame still loading then is audited as far as it got or listed as skipped.
 */
async function bringFramesIn(page: Page): Promise<void> {
  const lifted = await page.evaluate(() => {
    let n = 0;
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof HTMLIFrameElement && el.loading === 'lazy') {
          el.loading = 'eager';
          n++;
        }
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return n;
  }).catch(() => 0);
  const children = page.frames().slice(1);
  if (!children.length && !lifted) return;
  const until = Date.now() + FRAME_LOAD_MS;
  // A lifted frame starts its navigation a moment later: look again for frames that are still new.
  if (lifted) await page.waitForTimeout(50);
  await Promise.all(page.frames().slice(1).map((f) => f.waitForLoadState('load', { timeout: Math.max(1, until - Date.now()) }).catch(() => {})));
}

type FrameRecord = NonNullable<AxeResult['frames']>[number];

/** One frame's partial axe-core result and its child frames', in the order axe.finishRun takes them. */
interface PartialTree { partial: Promise<unknown>; children: (PartialTree | null)[] }

async function flatten(tree: PartialTree | null, top: boolean): Promise<unknown[]> {
  if (!tree) return [null];
  try {
    const own = await tree.partial;
    const children = await Promise.all(tree.children.map((c) => flatten(c, false)));
    return [own, ...children.flat(1)];
  } catch (err) {
    if (top) throw err;
    return [null]; // a frame whose run failed stands with its own frames as one that could not be tested
  }
}

/**
 * axe-core in one frame and, recursively, in the frames axe-core says its context reaches, the way
 * axe-core's own integrations do it (runPartial per frame, finishRun once): no frame is reached by
 * postMessage, so a frame that never answers costs FRAME_AXE_MS at most, never axe's 60 s frame wait.
 */
async function partialTree(frame: Frame, context: unknown, options: unknown, records: FrameRecord[], top: boolean, refused: ReadonlySet<Frame>): Promise<PartialTree> {
  const frameContexts = await frame.evaluate(({ context }) => {
    const axe = (window as unknown as { axe: { utils: { getFrameContexts(c: unknown): unknown[] } } }).axe;
    return axe.utils.getFrameContexts(context ?? document) as { frameSelector: unknown; frameContext: unknown }[];
  }, { context });
  const partial = frame.evaluate(({ context, options }) => {
    const axe = (window as unknown as { axe: { runPartial(c: unknown, o: unknown): Promise<unknown> } }).axe;
    return axe.runPartial(context ?? document, options);
  }, { context, options });
  partial.catch(() => {});
  const tree: PartialTree = { partial: top ? partial : withDeadline('a frame\'s axe-core run', FRAME_AXE_MS, partial), children: [] };
  for (const { frameSelector, frameContext } of frameContexts) {
    let child: PartialTree | null = null;
    let url = '';
    try {
      if (records.length >= MAX_FRAMES) throw new Error(`more than ${MAX_FRAMES} frames`);
      const handle = await frame.evaluateHandle((sel) => (window as unknown as { axe: { utils: { shadowSelect(s: unknown): Element | null } } }).axe.utils.shadowSelect(sel), frameSelector);
      const element = handle.asElement();
      url = (await element?.getAttribute('src').catch(() => null)) ?? '';
      const content = await element?.contentFrame();
      if (!content) throw new Error('no document');
      if (refused.has(content)) {
        url = '';
        throw new Error('refused by the egress guard');
      }
      // A frame whose document failed to load shows the browser's own error page: nothing of the site's to audit.
      if (content.url().startsWith('chrome-error:')) throw new Error('failed to load');
      url = content.url() || url;
      if (url === 'about:blank' && !(await content.evaluate(() => document.body?.childElementCount ?? 0))) throw new Error('not loaded');
      await withDeadline('injecting axe-core into a frame', FRAME_AXE_MS, content.evaluate(source() + CONFIGURE));
      const record: FrameRecord = { url, status: 'audited' };
      records.push(record);
      child = await withDeadline('a frame\'s frames', FRAME_AXE_MS, partialTree(content, frameContext, options, records, false, refused));
      child.partial.catch((err) => Object.assign(record, { status: 'skipped', reason: reasonOf(err) }));
    } catch (err) {
      records.push({ url: url.slice(0, 500), status: 'skipped', reason: reasonOf(err) });
    }
    tree.children.push(child);
  }
  return tree;
}

function reasonOf(err: unknown): string {
  if (err instanceof DeadlineError) return 'timed out';
  const message = err instanceof Error ? err.message : String(err);
  if (/^(not loaded|failed to load|no document|refused by the egress guard|more than \d+ frames)$/.test(message)) return message;
  if (/detached|destroyed|closed/i.test(message)) return 'navigated away';
  return message.split('\n')[0]!.slice(0, 200);
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
 * What Lighthouse's accessibility audits read from its own axe-core run (its `Accessibility` artifact):
 * which rules were violated, needed review (with a rule's error), passed, or did not apply. Node details
 * are reduced to a selector: eindex keeps Lighthouse's scores, not its element lists.
 */
export interface LighthouseAxeArtifact {
  violations: LighthouseAxeRule[];
  incomplete: LighthouseAxeRule[];
  notApplicable: { id: string }[];
  passes: { id: string }[];
  version: string;
}
interface LighthouseAxeRule { id: string; impact?: string; tags: string[]; nodes: { target: unknown[]; failureSummary?: string; node: { selector: string }; relatedNodes: [] }[]; error?: { name: string; message: string } }

/**
 * Runs axe with the given tags, plus target-size for the mobile verdict: when the tags leave that rule
 * out, it runs all the same and its results are taken out of the accessibility result. The caller races
 * this against the page's deadline: axe has no timeout of its own, and only closing the page stops it.
 *
 * With `lighthouse`, the same run also carries the rules Lighthouse's accessibility gatherer would run
 * (its own tags and switches), and returns the artifact Lighthouse would have gathered, so Lighthouse
 * need not run axe-core again. Only where Lighthouse's run would see the same thing: a page without
 * frames (Lighthouse's axe runs in the top frame alone) and with nothing excluded (Lighthouse never
 * excludes). Otherwise `lighthouseArtifact` is null and Lighthouse runs axe-core itself.
 */
export async function runAxe(page: Page, tags: string[], o: { exclude?: string[]; ignoreRules?: string[]; lighthouse?: boolean; preloaded?: Promise<void>; refusedFrames?: ReadonlySet<Frame> } = {}): Promise<{ axe: AxeResult; targets: TargetFacts; lighthouseArtifact: LighthouseAxeArtifact | null }> {
  await injectTopOnce(page, o.preloaded);
  const exclude = o.exclude ?? [];
  await assertSelectors(page, exclude);
  const ours = selectedRules({ tags, rules: { [TARGET_SIZE_RULE]: true } });
  const lhConfig = o.lighthouse && !exclude.length ? lighthouseAxeConfig() : null;
  const theirs = lhConfig ? selectedRules(lhConfig) : [];
  await bringFramesIn(page);
  const options = { runOnly: { type: 'rule', values: [...new Set([...ours, ...theirs])] } };
  // Excluded content (a widget the site does not control) is not checked at all: axe's own context.
  const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : null;
  const frames: FrameRecord[] = [];
  // A page whose axe context reaches no frame is run and finished in one call: its partial result (every
  // node of every rule, snippets and selectors) need not cross to Node and back.
  const reachesFrames = await page.evaluate((context) => (window as unknown as { axe: { utils: { getFrameContexts(c: unknown): unknown[] } } }).axe.utils.getFrameContexts(context ?? document).length > 0, context);
  const partials = reachesFrames ? await flatten(await partialTree(page.mainFrame(), context, options, frames, true, o.refusedFrames ?? new Set()), true) : null;
  const raw = await page.evaluate(finishRunInPage, { ours, theirs, partials, context, options }) as FinishedRun;
  const { results, impacts, passes } = raw;
  const axe: AxeResult = {
    version: results.testEngine.version,
    tags,
    violations: results.violations.map(toRule),
    needsReview: results.incomplete.map(toRule),
    passes: passes.map((r) => ({ id: r.id, impact: (impacts[r.id] ?? null) as Impact | null, nodes: r.nodes })),
    inapplicable: results.inapplicable.map((r) => r.id),
    ...(frames.length ? { frames } : {}),
  };
  const targets = targetFacts(axe);
  if (!axeRuleTags(TARGET_SIZE_RULE).some((t) => tags.includes(t))) dropRules(axe, (id) => id === TARGET_SIZE_RULE);
  // Ignored rules still run (target-size still feeds the mobile verdict) but leave the result and grade.
  if (o.ignoreRules?.length) dropRules(axe, (id) => o.ignoreRules!.includes(id));
  return { axe, targets, lighthouseArtifact: raw.lighthouse };
}

/** A selector of --exclude the browser cannot parse is the user's mistake: said before axe runs. */
async function assertSelectors(page: Page, exclude: string[]) {
  const bad = await page.evaluate((selectors) => selectors.find((s) => {
    try {
      document.querySelector(s);
      return false;
    } catch {
      return true;
    }
  }) ?? null, exclude);
  if (bad !== null) throw new Error(`--exclude: ${JSON.stringify(bad)} is not a valid CSS selector`);
}

function dropRules(axe: AxeResult, drop: (id: string) => boolean) {
  const kept = (r: { id: string }) => !drop(r.id);
  axe.violations = axe.violations.filter(kept);
  axe.needsReview = axe.needsReview.filter(kept);
  axe.passes = axe.passes.filter(kept);
  axe.inapplicable = axe.inapplicable.filter((id) => !drop(id));
}

type FinishedRun = { results: RawResults; impacts: Record<string, string | null>; passes: { id: string; nodes: number }[]; lighthouse: LighthouseAxeArtifact | null };

/**
 * In the page: axe's finishRun over the frames' partial results, split into ours and Lighthouse's. With
 * no `partials` (no frame to reach), the top frame's runPartial is run here first, its result passed on
 * as it would arrive from Node (a copy of plain data).
 */
async function finishRunInPage({ ours, theirs, partials, context, options }: { ours: readonly string[]; theirs: readonly string[]; partials: unknown[] | null; context: unknown; options: unknown }) {
  const axe = (window as unknown as { axe: { runPartial(c: unknown, o: unknown): Promise<unknown>; finishRun: (partials: unknown[], opts: unknown) => Promise<unknown>; _audit: { rules: { id: string; impact?: string }[] } } }).axe;
  partials ??= [JSON.parse(JSON.stringify(await axe.runPartial(context ?? document, options)))];
  type Rule = { id: string; impact?: string | null; description: string; help: string; helpUrl: string; tags: string[]; nodes: { target: unknown[]; html: string; failureSummary?: string }[]; error?: unknown };
  type Full = { violations: Rule[]; incomplete: Rule[]; passes: Rule[]; inapplicable: Rule[]; testEngine: { version: string } };
  const full = (await axe.finishRun(partials, options)) as Full;
  // Lighthouse's artifact, from its rules only (as its gatherer builds it), when its run would have
  // seen the same page: no frames to reach.
  let lighthouse = null;
  if (theirs.length && window.frames.length === 0) {
    const mine = new Set(theirs);
    const artifactRule = (r: Rule) => ({
      id: r.id,
      impact: r.impact || undefined,
      tags: r.tags,
      nodes: r.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, node: { selector: String(n.target.at(-1)) }, relatedNodes: [] })),
      error: r.error instanceof Error ? { name: r.error.name, message: r.error.message } : undefined,
    });
    lighthouse = {
      violations: full.violations.filter((r) => mine.has(r.id)).map(artifactRule),
      incomplete: full.incomplete.filter((r) => mine.has(r.id)).map(artifactRule),
      notApplicable: full.inapplicable.filter((r) => mine.has(r.id)).map((r) => ({ id: r.id })),
      passes: full.passes.filter((r) => mine.has(r.id)).map((r) => ({ id: r.id })),
      version: full.testEngine.version,
    };
  }
  const own = new Set(ours);
  const kept = (r: { id: string }) => own.has(r.id);
  // Passing rules carry no impact in results; the rule's own declared impact weighs it in scoring.
  const impacts = Object.fromEntries(axe._audit.rules.map((r) => [r.id, r.impact ?? null]));
  // Passing nodes are only counted: their selectors and snippets never cross into Node.
  const passes = full.passes.filter(kept).map((r) => ({ id: r.id, nodes: r.nodes.length }));
  const results = {
    violations: full.violations.filter(kept),
    incomplete: full.incomplete.filter(kept),
    passes: [],
    inapplicable: full.inapplicable.filter(kept).map((r) => ({ id: r.id })),
    testEngine: full.testEngine,
  };
  return { results, impacts, passes, lighthouse };
}

let rules: AxeRuleInfo[] | undefined;
/** axe-core's own rule list, read in Node (getRules needs no page). */
function axeRules(): AxeRuleInfo[] {
  rules ??= (require('axe-core') as { getRules(): AxeRuleInfo[] }).getRules();
  return rules;
}

const selections = new Map<string, readonly string[]>();
/**
 * The ids of the rules an axe-core run with this selection runs, by axe-core's own decision. Worked out
 * once per selection: a run's pages all ask with the same tags.
 */
export function selectedRules(sel: AxeSelection): readonly string[] {
  const key = JSON.stringify(sel);
  let ids = selections.get(key);
  if (!ids) {
    const tagExclude = (require('axe-core') as { _audit: { tagExclude: string[] } })._audit.tagExclude;
    ids = axeRules().filter((r) => selectsRule(r, sel, tagExclude)).map((r) => r.ruleId);
    selections.set(key, ids);
  }
  return ids;
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
