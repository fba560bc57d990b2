// Who may change things: the admin token (compared first, so a correct one is never refused whatever
// others sent before it), the throttle on failed attempts, the same-origin rule for the dashboard's form,
// and the admin's routes: start a run, add a schedule, delete a run.
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultAuditOptions } from '../audit/options.js';
import type { Store } from '../store/db.js';
import { loadTargets } from '../targets/targets.js';
import { withDeadline } from '../util/time.js';
import { PROJECT_ROOT } from '../version.js';
import { hashedClient } from './checks.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, clientOf, jsonBody, sendJson } from './http.js';

/** Failed admin attempts one client may make in ADMIN_WINDOW_MS before it is turned away (429). */
const ADMIN_FAILURES = 5;
const ADMIN_WINDOW_MS = 15 * 60_000;

/**
 * The admin token, and the throttle on failed attempts (@fastify/rate-limit, per client, the admin routes
 * together): a request with the right token is never counted nor refused, whatever others sent before it
 * (a visitor behind the same proxy could otherwise keep the admin out with five requests).
 */
export class AdminGate {
  readonly #salt = randomBytes(16);

  constructor(private readonly token: string | undefined, private readonly log: (line: string) => void) {}

  /** A client as the logs name it: a salted hash of its IPv4 address or IPv6 /64, never the address. */
  clientTag(req: FastifyRequest): string {
    return hashedClient(this.#salt, clientOf(req), 10);
  }

  #tokenGiven(req: FastifyRequest): boolean {
    if (!this.token) return false;
    const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const want = Buffer.from(this.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  /** The route option that counts a client's failed attempts; the right token (or no admin at all) is not counted. */
  get throttle() {
    return {
      rateLimit: {
        groupId: 'admin', max: ADMIN_FAILURES, timeWindow: ADMIN_WINDOW_MS,
        keyGenerator: (req: FastifyRequest) => this.clientTag(req),
        allowList: (req: FastifyRequest) => !this.token || this.#tokenGiven(req),
        errorResponseBuilder: (_req: FastifyRequest, c: { ttl: number }) =>
          new HttpError(429, `too many failed admin attempts; try again in ${Math.ceil(c.ttl / 60_000)} min`, { 'retry-after': String(Math.ceil(c.ttl / 1000)) }),
      },
    };
  }

  require(req: FastifyRequest, reply: FastifyReply) {
    if (!this.token) throw new HttpError(403, 'administration is disabled: start eindex serve with EINDEX_ADMIN_TOKEN set');
    if (this.#tokenGiven(req)) return;
    const failures = ADMIN_FAILURES - Number(reply.getHeader('x-ratelimit-remaining') ?? ADMIN_FAILURES - 1);
    this.log(`admin: refused ${req.method} ${req.url} from client ${this.clientTag(req)} (bad or missing token; ${failures} in 15 min)`);
    throw new HttpError(401, 'a valid admin token is needed (Authorization: Bearer …)', { 'www-authenticate': 'Bearer' });
  }
}

/**
 * A form post must come from this dashboard's own pages (no cross-site submission on a visitor's behalf).
 * Browsers say where a request comes from in Sec-Fetch-Site; our pages' no-referrer policy makes them
 * send "Origin: null" on form posts, so Origin is only read when Sec-Fetch-Site is absent.
 */
export function requireSameOrigin(req: FastifyRequest) {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'the form must be sent from this dashboard');
    return;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return; // not a browser: nothing to check
  let host = '';
  try {
    host = new URL(origin).host;
  } catch { /* "null" and other opaque origins */ }
  // Behind a reverse proxy that rewrites Host, the public host is in X-Forwarded-Host.
  const forwarded = String(req.headers['x-forwarded-host'] ?? '').split(',')[0]!.trim();
  if (!host || (host !== req.headers.host && host !== forwarded)) throw new HttpError(403, 'the form must be sent from this dashboard');
}

export interface AdminDeps {
  gate: AdminGate;
  store: Store;
  redisUrl?: string;
  targetsDir?: string;
  log: (line: string) => void;
  /** The app: a run it started stops when it closes. */
  app: FastifyInstance;
  /** A run was deleted: reports built on it are stale. */
  onDeleted: () => void;
}

/** The admin's routes, each behind the token and its throttle. */
export function adminRoutes(d: AdminDeps) {
  const runs = new AdminRuns(d);
  const config = d.gate.throttle;
  return [
    {
      url: '/api/runs/:run(^\\d+$)', config,
      DELETE: async (req: FastifyRequest<{ Params: { run: string } }>, reply: FastifyReply) => {
        d.gate.require(req, reply);
        const id = Number(req.params.run);
        if (!d.store.deleteRun(id)) throw new HttpError(404, `no finished run ${id} to delete`);
        d.onDeleted(); // the next run's "previous run" may have been this one
        d.log(`admin: deleted run ${id}`);
        return sendJson(reply, 200, { deleted: id });
      },
    },
    { url: '/api/runs', config, POST: (req: FastifyRequest, reply: FastifyReply) => runs.start(req, reply) },
    { url: '/api/schedules', config, POST: (req: FastifyRequest, reply: FastifyReply) => addSchedule(d, req, reply) },
  ];
}

/** Admin: a run of a registry in the targets folder, carried out by a process of its own; one at a time. */
class AdminRuns {
  #current: { id: number; exited: Promise<void> } | null = null;

  constructor(private readonly d: AdminDeps) {}

  async start(req: FastifyRequest, reply: FastifyReply) {
    const { d } = this;
    d.gate.require(req, reply);
    const targetsFile = targetsPath(d, jsonBody(req).targets);
    const targets = loadTargets(targetsFile);
    const { createRun } = await import('../run/run.js');
    // From the check below to claiming the run nothing waits: two requests cannot both pass it.
    if (this.#current) {
      // Marked done in the store, its process may still be closing its browsers: wait for that, not the user.
      if (d.store.run(this.#current.id)?.status === 'running') throw new HttpError(409, 'a run started from the dashboard is still going');
      await withDeadline('the finished run to exit', 30_000, this.#current.exited).catch(() => {});
      if (this.#current) throw new HttpError(409, 'a run started from the dashboard is still going'); // another request was first
    }
    const runId = createRun(d.store, d.redisUrl ? 'bullmq' : 'in-process', targetsFile, targets, defaultAuditOptions());
    this.#current = { id: runId, exited: this.#spawn(runId, targetsFile) };
    d.log(`admin: started run ${runId} of ${targetsFile}`);
    return sendJson(reply, 202, { runId, targets: targets.length }, { location: `/api/runs/${runId}` });
  }

  /**
   * `eindex run --resume` in a process of its own: no audit work (browsers, robots.txt and sitemap
   * parsing, or the BullMQ collector) on the web server's event loop.
   */
  #spawn(runId: number, targetsFile: string): Promise<void> {
    const { d } = this;
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'eindex.js'), 'run', targetsFile, '--db', d.store.path, '--resume', '--quiet', ...(d.redisUrl ? ['--redis', d.redisUrl] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => { for (const line of text.split('\n')) if (line.trim()) d.log(`run ${runId}: ${line.slice(0, 500)}`); });
    const stop = () => child.kill('SIGTERM');
    d.app.server.once('close', stop);
    return new Promise<void>((done) => child.once('exit', (code, signal) => {
      d.app.server.off('close', stop);
      if (d.store.run(runId)?.status === 'running') { // an exit code of 1 (a site below --fail-under) after "done" is no interruption
        d.store.finishRun(runId, 'interrupted');
        d.log(`run ${runId} stopped (${signal ?? `exit ${code}`}): eindex run ${targetsFile} --resume finishes it`);
      }
      if (this.#current?.id === runId) this.#current = null;
      done();
    }));
  }
}

/** Admin: a schedule of runs of a registry (needs --redis). */
async function addSchedule(d: AdminDeps, req: FastifyRequest, reply: FastifyReply) {
  d.gate.require(req, reply);
  if (!d.redisUrl) throw new HttpError(409, 'schedules need the server to run with --redis');
  const body = jsonBody(req);
  const targetsFile = targetsPath(d, body.targets);
  if (typeof body.cron !== 'string' || !/^[\d*/,\- ]+$/.test(body.cron)) throw new HttpError(400, 'cron must be a cron pattern, e.g. "0 2 * * *"');
  const tz = typeof body.tz === 'string' ? body.tz : 'Europe/Riga';
  const { Queue } = await import('bullmq');
  const { connect } = await import('../queue/executor.js');
  const { RUNS_QUEUE } = await import('../queue/jobs.js');
  const { declareSchedule } = await import('../queue/schedule.js');
  const connection = connect(d.redisUrl);
  const queue = new Queue(RUNS_QUEUE, { connection });
  try {
    const { name } = await declareSchedule(queue, { targetsFile, cron: body.cron, tz, options: defaultAuditOptions() });
    d.log(`admin: schedule ${name} ${body.cron} ${tz}`);
    return sendJson(reply, 201, { name, cron: body.cron, tz });
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}

function targetsPath(d: AdminDeps, name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+\.ya?ml$/.test(name)) throw new HttpError(400, 'targets must be the file name of a registry in the targets folder, e.g. "latvia.yaml"');
  const file = resolve(d.targetsDir ?? join(PROJECT_ROOT, 'targets'), name);
  if (!existsSync(file)) throw new HttpError(404, `no registry ${name}`);
  return file;
}
