// The only place Chromium is found and launched.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { UserError } from '../util/errors.js';

/** Chromium's own sandbox needs an ordinary user (with user namespaces); as root it will not start with it. */
export const RUNNING_AS_ROOT = process.getuid?.() === 0;

// Nothing that phones home (each refused connection on a closed network costs time); the sandbox stays
// on whenever the OS allows it: `--no-sandbox` only as root, where Chromium refuses to start without it.
export const CHROMIUM_ARGS = [
  ...(RUNNING_AS_ROOT ? ['--no-sandbox'] : []),
  '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage', '--mute-audio',
  '--disable-default-apps', '--disable-extensions', '--disable-breakpad', '--metrics-recording-only',
];

/** What to tell a person running eindex as root: Chromium runs without its sandbox, and how to avoid that. */
export function sandboxWarning(): string | null {
  return RUNNING_AS_ROOT
    ? 'eindex: running as root, so Chromium runs without its sandbox (a hostile page that broke the renderer would run as root); run eindex as an ordinary user to keep the sandbox (the Docker image does: USER node)'
    : null;
}

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** CHROMIUM_PATH, else the system's Chromium, else Playwright's own browser when one is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new UserError(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return env.CHROMIUM_PATH;
  }
  const system = SYSTEM_CANDIDATES.find((p) => existsSync(p));
  if (system) return system;
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch { /* Playwright has no browser of its own here */ }
  throw new UserError('no Chromium found: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface LaunchedBrowser {
  browser: Browser;
  /** Where Lighthouse's puppeteer connects to the same Chromium; null when Lighthouse is off. */
  debuggingUrl: string | null;
  version: string;
}

/**
 * Playwright closes its browsers on SIGINT/SIGTERM/SIGHUP. A BullMQ worker told to stop must finish the
 * audits it is running first (its drain), so it turns this off and closes its browsers itself.
 */
export const browserSignals = { closeOnSignal: true };

/** Set once Chromium's sandbox failed to start for an ordinary user: later launches go without it. */
let sandboxUnavailable = false;

/**
 * `proxy`: every request of every page goes through it, loopback included (Chromium otherwise bypasses a
 * proxy for loopback), and WebRTC may not open its own UDP paths around it. Self-service checks use it.
 */
export async function launchBrowser(opts: { lighthouse: boolean; executablePath?: string; proxy?: string }): Promise<LaunchedBrowser> {
  const executablePath = opts.executablePath ?? findChromium();
  const port = opts.lighthouse ? await freePort() : null;
  const args = [...CHROMIUM_ARGS];
  if (port) args.push(`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1');
  if (opts.proxy) args.push('--force-webrtc-ip-handling-policy=disable_non_proxied_udp', '--webrtc-ip-handling-policy=disable_non_proxied_udp');
  const proxy = opts.proxy ? { server: opts.proxy, bypass: '<-loopback>' } : undefined;
  const signals = browserSignals.closeOnSignal;
  // Playwright itself adds --no-sandbox unless told the sandbox is wanted (chromiumSandbox).
  const launch = (sandbox: boolean) => chromium.launch({
    executablePath, headless: true, args, timeout: 60_000, proxy, chromiumSandbox: sandbox,
    handleSIGINT: signals, handleSIGTERM: signals, handleSIGHUP: signals,
  });
  let browser: Browser;
  try {
    browser = await launch(!RUNNING_AS_ROOT && !sandboxUnavailable);
  } catch (err) {
    // An ordinary user where the OS gives no sandbox (user namespaces off, a container's seccomp profile):
    // run without it rather than not at all, and say so once.
    if (RUNNING_AS_ROOT || sandboxUnavailable || !/sandbox|namespace/i.test(err instanceof Error ? err.message : String(err))) throw err;
    sandboxUnavailable = true;
    process.stderr.write('eindex: Chromium\'s sandbox is not available here (user namespaces are off, or a container\'s seccomp profile forbids them); running it without. Enable unprivileged user namespaces, or give the container a seccomp profile that allows them, to keep it\n');
    browser = await launch(false);
  }
  return { browser, debuggingUrl: port ? `http://127.0.0.1:${port}` : null, version: browser.version() };
}
