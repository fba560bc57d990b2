// Mobile-friendliness verdicts: pure functions of the facts the browser gathered under phone emulation.
import type { MobileResult } from '../schema/result.js';
import type { Methodology } from '../grading/methodology.js';
import { round1, weightedMean } from '../grading/accessibility.js';

/** axe-core's target-size rule (WCAG 2.5.8) on the page: the tap-target measurement the verdict uses. */
export interface TargetFacts { checked: number; failing: number; examples: string[] }

/** What `gather/in-page.ts` measures in the page, plus axe-core's target-size measurement. */
export interface MobileFacts {
  viewportContent: string | null;
  /** The widest of the document's scroll widths, in CSS px. */
  contentWidth: number;
  /** Characters of visible text, bucketed by computed font size (CSS px, rounded down). */
  textCharsByFontPx: Record<string, number>;
  targets?: TargetFacts;
  plugins: number;
}

/** Lighthouse's scores for its mobile audits on the same page, where Lighthouse ran. */
export type LighthouseAudits = Record<string, { score: number | null }>;

export function parseViewport(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of content.split(/[,;]/)) {
    const [k, v] = part.split('=').map((s) => s.trim().toLowerCase());
    if (k) out[k] = v ?? '';
  }
  return out;
}

/**
 * Lighthouse's rule for its `viewport` audit (core/computed/viewport-meta.js): a tag with a width or an
 * initial-scale of at least 1. Used when Lighthouse did not run, so that the verdict is the same.
 */
export function viewportOptimized(vp: Record<string, string> | null): boolean {
  if (!vp) return false;
  const scale = Number(vp['initial-scale']);
  if (!Number.isNaN(scale) && vp['initial-scale'] !== undefined && vp['initial-scale'] !== '' && scale < 1) return false;
  return Boolean(vp.width || (vp['initial-scale'] !== undefined && scale));
}

const LH = (audits: LighthouseAudits | undefined, id: string): boolean | null => {
  const score = audits?.[id]?.score;
  return typeof score === 'number' ? score === 1 : null;
};

/**
 * The page's mobile verdict. Where a reference measures something, its measurement is the verdict:
 * viewport and text size are Lighthouse's `viewport` and `font-size` audits (our own reading of the same
 * rule when Lighthouse did not run), tap targets are axe-core's `target-size` (WCAG 2.5.8). Our own checks
 * remain only where no reference exists: content wider than the screen, plugins. A check that fails is
 * `blocking` when it makes the page not mobile-friendly (the methodology says when).
 */
export function mobileVerdicts(f: MobileFacts, m: Methodology, lighthouse?: LighthouseAudits): MobileResult {
  const cfg = m.mobile;
  const deviceWidth = cfg.device.width;

  const vp = f.viewportContent === null ? null : parseViewport(f.viewportContent);
  const userScalable = vp?.['user-scalable'];
  const maxScale = vp?.['maximum-scale'] !== undefined ? Number.parseFloat(vp['maximum-scale']) : NaN;
  // axe's meta-viewport rule draws the line at 2x: less than that blocks the zoom WCAG 1.4.4 asks for. It
  // is an accessibility failure (axe grades it); here it is only reported.
  const zoomDisabled = userScalable === 'no' || userScalable === '0' || (Number.isFinite(maxScale) && maxScale < 2);
  const forPhones = viewportOptimized(vp);
  const lhViewport = LH(lighthouse, 'viewport');
  const viewportPass = lhViewport ?? forPhones;
  const viewport = {
    pass: viewportPass, blocking: !viewportPass, source: lhViewport === null ? 'eindex (Lighthouse viewport rule)' : 'Lighthouse viewport',
    content: f.viewportContent,
    zoomDisabled,
    detail: vp === null ? 'no viewport meta tag: phones lay the page out 980 px wide and shrink it'
      : !viewportPass ? `the viewport tag sets neither a width nor an initial scale of 1 or more ("${f.viewportContent}")`
      : zoomDisabled ? 'viewport set for phones, but it disables or limits zooming (an accessibility failure)' : 'viewport set for phones, zoom allowed',
  };

  const maxWidth = Math.round(deviceWidth * (1 + cfg.maxOverflowShare));
  const fits = f.contentWidth <= maxWidth;
  const fitsScreen = {
    pass: fits, blocking: !fits, source: 'eindex', contentWidth: Math.round(f.contentWidth), deviceWidth,
    detail: fits ? `content fits ${deviceWidth} px` : `content is ${Math.round(f.contentWidth)} px wide on a ${deviceWidth} px screen: horizontal scrolling`,
  };

  let textChars = 0;
  let smallChars = 0;
  for (const [px, chars] of Object.entries(f.textCharsByFontPx)) {
    textChars += chars;
    if (Number(px) < cfg.minLegibleFontPx) smallChars += chars;
  }
  const smallTextShare = textChars ? smallChars / textChars : 0;
  const lhFont = LH(lighthouse, 'font-size');
  // Lighthouse's font-size audit fails a page the phone shows zoomed out (no usable viewport): so does ours.
  const legible = lhFont ?? (forPhones && smallTextShare <= cfg.maxSmallTextShare);
  const legibleText = {
    pass: legible, blocking: !legible, source: lhFont === null ? 'eindex (Lighthouse font-size rule)' : 'Lighthouse font-size', textChars, smallTextShare: round3(smallTextShare),
    detail: !forPhones && !legible ? 'the page is shown zoomed out (no viewport for phones): its text is too small to read'
      : `${Math.round(smallTextShare * 100)} % of the visible text is smaller than ${cfg.minLegibleFontPx} px`,
  };

  const t = f.targets ?? { checked: 0, failing: 0, examples: [] };
  const failingShare = t.checked ? t.failing / t.checked : 0;
  const tapTargets = {
    pass: t.failing === 0, blocking: failingShare > cfg.maxFailingTargetShare, source: 'axe-core target-size (WCAG 2.5.8)',
    total: t.checked, tooSmall: t.failing, examples: t.examples,
    detail: t.failing === 0 ? `${t.checked} tap targets, none too small and crowded`
      : `${t.failing} of ${t.checked} tap targets are smaller than 24 px and crowded (WCAG 2.5.8)`,
  };

  const noPlugins = { pass: f.plugins === 0, blocking: f.plugins > 0, source: 'eindex', count: f.plugins, detail: f.plugins ? `${f.plugins} plugin elements (Flash, Java, Silverlight)` : 'no plugins' };

  const w = cfg.weights;
  const totalWeight = w.viewport + w.fitsScreen + w.legibleText + w.tapTargets + w.noPlugins;
  const earned =
    (viewport.pass ? w.viewport : 0) +
    (fits ? w.fitsScreen : 0) +
    // A passing check earns its whole weight; a failing one what share of text or targets is fine.
    w.legibleText * (legible ? 1 : forPhones ? 1 - smallTextShare : 0) +
    w.tapTargets * (1 - failingShare) +
    (noPlugins.pass ? w.noPlugins : 0);
  const checks = [viewport, fitsScreen, legibleText, tapTargets, noPlugins];
  const mobileFriendly = checks.every((c) => !c.blocking);
  return { viewport, fitsScreen, legibleText, tapTargets, noPlugins, mobileFriendly, score: round1((100 * earned) / totalWeight) };
}

function round3(n: number) {
  return Math.round(n * 1000) / 1000;
}

/**
 * A site is mobile-friendly when enough of its audited pages are (methodology: `mobile.site`), so one
 * page with a stray problem does not fail a site built for phones, while a desktop-only site fails. Each
 * page weighs what it stands for (its share of the site; 1 each by default).
 */
export function siteMobile(results: (MobileResult | undefined)[], m: Methodology, weights?: number[]): { mobileFriendly: boolean | null; mobileScore: number | null } {
  const ok = results.map((r, i) => ({ r, w: weights?.[i] ?? 1 })).filter((x): x is { r: MobileResult; w: number } => !!x.r);
  const total = ok.reduce((a, x) => a + x.w, 0);
  if (!ok.length || total <= 0) return { mobileFriendly: null, mobileScore: null };
  const friendly = ok.filter((x) => x.r.mobileFriendly).reduce((a, x) => a + x.w, 0);
  return {
    mobileFriendly: friendly / total >= m.mobile.site.minFriendlyPageShare - 1e-9,
    mobileScore: weightedMean(results.map((r) => r?.score), weights),
  };
}
