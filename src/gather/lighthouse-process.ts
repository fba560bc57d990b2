// The Lighthouse process of one browser (LighthouseRunner forks it): takes one request at a time over
// IPC, audits the named tab through its own puppeteer-core connection, answers, and exits with its parent.
import { auditTarget, type LighthouseReply, type LighthouseRequest, type PuppeteerBrowser } from './lighthouse.js';
import { errorMessage } from '../util/errors.js';

let browser: Promise<PuppeteerBrowser> | null = null;
const connect = (debuggingUrl: string) => {
  // defaultViewport null: keep the phone emulation Playwright set on the context.
  browser ??= import('puppeteer-core').then((p) => p.default.connect({ browserURL: debuggingUrl, defaultViewport: null, protocolTimeout: 60_000 }));
  browser.catch(() => (browser = null)); // a failed connection is tried again on the next request
  return browser;
};

process.on('message', (req: LighthouseRequest) => {
  void (async () => {
    let reply: LighthouseReply;
    try {
      reply = { id: req.id, result: await auditTarget(await connect(req.debuggingUrl), req) };
    } catch (err) {
      reply = { id: req.id, error: errorMessage(err) };
    }
    if (process.connected) process.send!(reply);
  })();
});

// The parent closed the channel (its runner closed, or it died): let go of the browser and leave.
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 2000).unref(); // even if the browser does not answer
  void (async () => {
    const b = await browser?.catch(() => null);
    await b?.disconnect().catch(() => {});
    process.exit(0);
  })();
});
