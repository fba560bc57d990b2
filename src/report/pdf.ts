// The PDF is the HTML report printed by the same Chromium that audits (A4, page numbers in the footer).
// Script is off in the printing page: the report has none, and page content must never run. It is a
// tagged PDF (EN 301 549 clause 10: a public body publishes accessible documents): Chromium writes the
// structure tree from the page's accessibility tree (headings, tables with their header cells, figures
// with the charts' names as alternative text), the document's language from <html lang>, its title, and
// an outline of the headings.
import { launchBrowser } from '../gather/browser.js';
import { html, htmlText } from '../util/html.js';
import { t, type Lang } from './i18n.js';

export async function renderPdf(document: string, lang: Lang, title: string): Promise<Buffer> {
  const { browser } = await launchBrowser({ lighthouse: false });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(document, { waitUntil: 'load', timeout: 120_000 });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      tagged: true,
      outline: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: htmlText(html`<div style="font-size:8px;width:100%;padding:0 14mm;display:flex;justify-content:space-between;color:#333"><span>${title}</span><span>${t(lang, 'page')} <span class="pageNumber"></span> ${t(lang, 'of')} <span class="totalPages"></span></span></div>`),
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close().catch(() => {});
  }
}
