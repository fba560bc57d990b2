// Mobile-friendliness verdicts: pure functions of the facts the browser gathered under phone emulation.
import type { MobileResult } from '../schema/result.js';
import type { Methodology } from '../grading/methodology.js';
import { round1 } from '../grading/accessibility.js';

/** What `gather/mobile-facts.ts` measures in the page. */
export interface MobileFacts {
  viewportContent: string | null;
  /** The widest of the document's scroll widths, in CSS px. */
  contentWidth: number;
  /** Characters of visible text, bucketed by computed font size (CSS px, rounded down). */
  textCharsByFontPx: Record<string, number>;
  targets: { total: number; tooSmall: number; examples: string[] };
  plugins: number;
}

export function parseViewport(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of content.split(/[,;]/)) {
    const [k, v] = part.split('=').map((s) => s.trim().toLowerCase());
    if (k) out[k] = v ?? '';
  }
  return out;
}

export function mobileVerdicts(f: MobileFacts, m: Methodology): MobileResult {
  const cfg = m.mobile;
  const deviceWidth = cfg.device.width;

  const vp = f.viewportContent === null ? null : parseViewport(f.viewportContent);
  const widthOk = vp?.width === 'device-width';
  const userScalable = vp?.['user-scalable'];
  const maxScale = vp?.['maximum-scale'] !== undefined ? Number.parseFloat(vp['maximum-scale']) : NaN;
  // axe's meta-viewport rule draws the line at 2x: less than that blocks the zoom WCAG 1.4.4 asks for.
  const zoomDisabled = userScalable === 'no' || userScalable === '0' || (Number.isFinite(maxScale) && maxScale < 2);
  const viewport = {
    pass: widthOk && !zoomDisabled,
    content: f.viewportContent,
    zoomDisabled,
    detail: vp === null ? 'no viewport meta tag: phones lay the page out 980 px wide and shrink it'
      : !widthOk ? `viewport width is "${vp.width ?? '(not set)'}", not device-width`
      : zoomDisabled ? 'the viewport disables or limits zooming' : 'width=device-width, zoom allowed',
  };

  const fits = f.contentWidth <= deviceWidth + cfg.fitTolerancePx;
  const fitsScreen = {
    pass: fits, contentWidth: Math.round(f.contentWidth), deviceWidth,
    detail: fits ? `content fits ${deviceWidth} px` : `content is ${Math.round(f.contentWidth)} px wide on a ${deviceWidth} px screen: horizontal scrolling`,
  };

  let textChars = 0;
  let smallChars = 0;
  for (const [px, chars] of Object.entries(f.textCharsByFontPx)) {
    textChars += chars;
    if (Number(px) < cfg.minLegibleFontPx) smallChars += chars;
  }
  const smallTextShare = textChars ? smallChars / textChars : 0;
  const legible = smallTextShare <= cfg.maxSmallTextShare;
  const legibleText = {
    pass: legible, textChars, smallTextShare: round3(smallTextShare),
    detail: `${Math.round(smallTextShare * 100)} % of the text is smaller than ${cfg.minLegibleFontPx} px`,
  };

  const smallTargetShare = f.targets.total ? f.targets.tooSmall / f.targets.total : 0;
  const tapTargets = {
    pass: smallTargetShare <= cfg.maxSmallTargetShare,
    total: f.targets.total, tooSmall: f.targets.tooSmall, examples: f.targets.examples,
    detail: `${f.targets.tooSmall} of ${f.targets.total} tap targets are smaller than ${cfg.minTargetPx} px and crowded`,
  };

  const noPlugins = { pass: f.plugins === 0, count: f.plugins, detail: f.plugins ? `${f.plugins} plugin elements (Flash, Java, Silverlight)` : 'no plugins' };

  const w = cfg.weights;
  const totalWeight = w.viewport + w.fitsScreen + w.legibleText + w.tapTargets + w.noPlugins;
  const earned =
    (viewport.pass ? w.viewport : 0) +
    (fits ? w.fitsScreen : 0) +
    // A passing check earns its whole weight; a failing one what share of text or targets is fine.
    w.legibleText * (legible ? 1 : 1 - smallTextShare) +
    w.tapTargets * (tapTargets.pass ? 1 : 1 - smallTargetShare) +
    (noPlugins.pass ? w.noPlugins : 0);
  const mobileFriendly = viewport.pass && fits && legible && tapTargets.pass && noPlugins.pass;
  return { viewport, fitsScreen, legibleText, tapTargets, noPlugins, mobileFriendly, score: round1((100 * earned) / totalWeight) };
}

function round3(n: number) {
  return Math.round(n * 1000) / 1000;
}

export function siteMobile(results: (MobileResult | undefined)[]): { mobileFriendly: boolean | null; mobileScore: number | null } {
  const ok = results.filter((r): r is MobileResult => !!r);
  if (!ok.length) return { mobileFriendly: null, mobileScore: null };
  return {
    mobileFriendly: ok.every((r) => r.mobileFriendly),
    mobileScore: round1(ok.reduce((a, r) => a + r.score, 0) / ok.length),
  };
}
