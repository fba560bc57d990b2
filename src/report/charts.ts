// Grade colours keep 4.5:1 with white text. Charts as inline SVG (no chart service, no script). Each has a title and description for screen
// readers; the figures are always also in a table beside the chart.
import type { Grade } from '../schema/result.js';
import { html, type Html } from '../util/html.js';

export const GRADE_COLORS: Record<Grade, string> = { highest: '#14632d', high: '#3b6e1f', medium: '#8a5a00', low: '#b3261e' };

export interface StackedRow { label: string; parts: { key: Grade; share: number | null }[] }

let chartSeq = 0;

/** One horizontal bar per row, split by grade, 0–100 %. */
export function stackedBars(title: string, rows: StackedRow[], legend: Record<Grade, string>, pct: (x: number | null) => string): Html {
  const id = `chart${++chartSeq}`;
  const labelW = 230, barW = 420, rowH = 34, top = 8, width = labelW + barW + 10;
  const height = top + rows.length * rowH + 40;
  const bars = rows.map((r, i) => {
    let x = labelW;
    const y = top + i * rowH;
    const segs = r.parts.map((p) => {
      const w = Math.round((p.share ?? 0) * barW * 10) / 10;
      const seg = w > 0 ? html`<rect x="${x}" y="${y}" width="${w}" height="24" fill="${GRADE_COLORS[p.key]}"><title>${legend[p.key]}: ${pct(p.share)}</title></rect>${w >= 34 ? html`<text x="${x + w / 2}" y="${y + 16}" text-anchor="middle" fill="#fff" font-size="11">${pct(p.share)}</text>` : ''}` : '';
      x += w;
      return seg;
    });
    return html`<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" font-size="12">${r.label}</text>${segs}`;
  });
  const legendY = top + rows.length * rowH + 14;
  let lx = 20;
  const legendItems = (Object.keys(GRADE_COLORS) as Grade[]).map((g) => {
    const item = html`<rect x="${lx}" y="${legendY - 9}" width="10" height="10" fill="${GRADE_COLORS[g]}"/><text x="${lx + 14}" y="${legendY}" font-size="11">${legend[g]}</text>`;
    lx += 30 + legend[g].length * 6.2;
    return item;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${id}t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="${id}t">${title}</title>${bars}${legendItems}</svg>`;
}

/** Simple 0–100 % bars, one per row (mobile-friendly share, statement share). */
export function shareBars(title: string, rows: { label: string; share: number | null }[], pct: (x: number | null) => string): Html {
  const id = `chart${++chartSeq}`;
  const labelW = 230, barW = 420, rowH = 26, width = labelW + barW + 70;
  const height = rows.length * rowH + 6;
  const bars = rows.map((r, i) => {
    const y = 4 + i * rowH;
    const w = Math.round((r.share ?? 0) * barW * 10) / 10;
    return html`<text x="${labelW - 8}" y="${y + 13}" text-anchor="end" font-size="12">${r.label}</text><rect x="${labelW}" y="${y}" width="${barW}" height="18" fill="#e6e6e6"/><rect x="${labelW}" y="${y}" width="${w}" height="18" fill="#1f4e8c"/><text x="${labelW + barW + 6}" y="${y + 13}" font-size="12">${pct(r.share)}</text>`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${id}t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="${id}t">${title}</title>${bars}</svg>`;
}

/** Scores 0–100 across runs, one line per series; points with no value leave a gap. */
/** `num` formats a value as the surface's language writes numbers (51,2 in Latvian). */
export function trendChart(title: string, labels: string[], series: { name: string; color: string; values: (number | null)[] }[], num: (v: number) => string = String): Html {
  const id = `chart${++chartSeq}`;
  // Drawn at a phone's width (376 px), so its labels are as large on a 412 px screen as they are written.
  const left = 36, top = 10, w = 320, h = 160, width = left + w + 20, height = top + h + 60;
  const x = (i: number) => left + (labels.length <= 1 ? w / 2 : (i * w) / (labels.length - 1));
  const y = (v: number) => top + h - (v / 100) * h;
  const grid = [0, 25, 50, 75, 100].map((v) => html`<line x1="${left}" x2="${left + w}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="12">${v}</text>`);
  const lines = series.map((s) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    const segs: string[][] = [[]];
    for (const p of pts) (p ? segs[segs.length - 1]!.push(p) : segs.push([]));
    return [segs.filter((g) => g.length).map((g) => html`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${g.join(' ')}"/>`),
      s.values.map((v, i) => (v === null ? '' : html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${s.name} ${labels[i]}: ${num(v)}</title></circle>`))];
  });
  const xl = labels.map((l, i) => html`<text x="${x(i).toFixed(1)}" y="${top + h + 16}" text-anchor="middle" font-size="12">${l}</text>`);
  const legend = series.map((s, i) => html`<rect x="${4}" y="${top + h + 28 + i * 16}" width="10" height="10" fill="${s.color}"/><text x="${18}" y="${top + h + 37 + i * 16}" font-size="12">${s.name}</text>`);
  return html`<svg class="chart" role="img" aria-labelledby="${id}t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="${id}t">${title}</title>${grid}${lines}${xl}${legend}</svg>`;
}
