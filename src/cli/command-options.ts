// The options of every eindex command, as data: commands.ts puts them in its table (help, parsing) and each
// command types its values with them. Nothing here imports a command, so no command imports back.
import { AUDIT_OPTION_DEFS, IGNORE_RULE_DEF } from '../audit/option-defs.js';
import type { OptionDef } from '../util/option-def.js';

const db = { name: 'db', type: 'string', value: 'FILE', help: 'database (default ./eindex.sqlite, or $EINDEX_DB)' } as const;
const redis = (help: string) => ({ name: 'redis', type: 'string', value: 'URL', help }) as const;
const quiet = { name: 'quiet', type: 'boolean', help: 'no progress' } as const;
const junit = { name: 'junit', type: 'string', value: 'FILE', help: 'write JUnit XML: a testsuite per page, a testcase per rule checked, a failure per violated rule' } as const;
const sarif = { name: 'sarif', type: 'string', value: 'FILE', help: 'write SARIF 2.1.0 (code-scanning dashboards): a result per violating element' } as const;
const lang = { name: 'lang', type: 'string', value: 'en|lv', help: 'language of labels, numbers and dates (default en)' } as const;

export const AUDIT_COMMAND_OPTIONS = [
  ...AUDIT_OPTION_DEFS,
  { name: 'no-crawl', type: 'boolean', help: 'audit exactly the URLs given, no discovery' },
  { name: 'concurrency', type: 'string', value: 'N', help: 'pages at once (default 2)' },
  IGNORE_RULE_DEF,
  { name: 'json', type: 'string', value: 'FILE', help: 'write the result as JSON (schema: eindex schema); "-" writes it to standard output, everything else to standard error' },
  { name: 'html', type: 'string', value: 'FILE', help: 'write the HTML report (the same institution section as eindex report)' },
  lang, junit, sarif,
  { name: 'fail-under', type: 'string', value: 'GRADE', help: 'exit 1 when the grade is below GRADE (highest|high|medium|low)' },
  quiet,
] as const satisfies readonly OptionDef[];

export const RUN_COMMAND_OPTIONS = [
  ...AUDIT_OPTION_DEFS,
  db,
  { name: 'json', type: 'string', value: 'FILE', help: 'write the run: runId and sites[] ("-": to standard output)' },
  junit, sarif,
  { name: 'concurrency', type: 'string', value: 'N', help: 'sites at once, one browser each (default 2)' },
  { name: 'resume', type: 'boolean', help: 'finish the newest unfinished run of this targets file' },
  redis('enqueue the sites on BullMQ and wait for workers (eindex worker)'),
  { name: 'queue', type: 'string', value: 'NAME', help: 'the BullMQ queue of site jobs (default eindex-sites)' },
  { name: 'allow-private', type: 'boolean', help: 'treat every target as an intranet site ("private: true"): audited directly, not through the egress guard' },
  { name: 'fail-under', type: 'string', value: 'GRADE', help: 'exit 1 when any audited site is graded below GRADE (highest|high|medium|low)' },
  { name: 'max-failed', type: 'string', value: 'N', help: 'exit 1 when more than N sites could not be audited (default: no limit; none audited at all is exit 4)' },
  quiet,
] as const satisfies readonly OptionDef[];

export const REPORT_COMMAND_OPTIONS = [
  { name: 'run', type: 'string', value: 'ID|latest', help: 'which run (default latest)' },
  { name: 'format', type: 'string', value: 'FORMAT', help: "html, pdf, csv or json (default: from --out's extension, else html)" },
  lang,
  { name: 'out', type: 'string', value: 'FILE', help: 'where to write (default: standard output; a PDF needs --out)' },
  { name: 'institution', type: 'string', value: 'ID', help: 'only this institution (the overview still covers the whole run)' },
  { name: 'detail', type: 'boolean', help: 'CSV: one row per violation and page instead of one row per institution' },
  { name: 'index', type: 'string', value: 'FILE', help: 'include an e-index computed by eindex index (its --json output)' },
  { name: 'survey', type: 'string', value: 'FILE', help: 'or compute the e-index here from a survey CSV (see eindex index)' },
  { name: 'methodology', type: 'string', value: 'FILE', help: 'e-index methodology with --survey (default: the built-in one)' },
  db,
] as const satisfies readonly OptionDef[];

export const INDEX_COMMAND_OPTIONS = [
  { name: 'survey', type: 'string', value: 'FILE', help: 'the survey CSV (comma or semicolon separated; empty cell = missing)' },
  { name: 'survey-template', type: 'string', value: 'FILE', help: 'write the survey form to fill in: a row per institution of --targets, a column per surveyed sub-criterion, a legend row in Latvian (semicolon-separated UTF-8 with a BOM)' },
  { name: 'targets', type: 'string', value: 'FILE', help: 'the registry of --survey-template (default targets/latvia.yaml)' },
  { name: 'run', type: 'string', value: 'ID|latest', help: 'which run supplies the measured scores (default latest)' },
  { name: 'methodology', type: 'string', value: 'FILE', help: 'dimensions, sub-criteria and weights (default: src/index/methodology.json)' },
  { name: 'json', type: 'string', value: 'FILE', help: 'write the whole result as JSON' },
  db,
] as const satisfies readonly OptionDef[];

export const SERVE_COMMAND_OPTIONS = [
  { name: 'port', type: 'string', value: 'N', help: 'port (default 8080; 0 picks a free one)' },
  { name: 'host', type: 'string', value: 'ADDR', help: 'address to listen on (default 127.0.0.1; 0.0.0.0 in a container)' },
  db,
  { name: 'create-db', type: 'boolean', help: 'start an empty database when --db names one that does not exist (without it, a --db that does not exist is refused)' },
  redis('queue checks on BullMQ for eindex worker (default: run them in a process of this server)'),
  { name: 'checks-queue', type: 'string', value: 'NAME', help: 'the BullMQ queue of checks (default eindex-checks; eindex worker --checks-queue)' },
  { name: 'allow-private', type: 'boolean', help: 'let checks reach loopback and private addresses (local testing only)' },
  { name: 'max-checks', type: 'string', value: 'N', help: 'checks waiting or running at once, all clients together (default 20)' },
  { name: 'checks-per-hour', type: 'string', value: 'N', help: 'checks one client may start in an hour (default 20)' },
  { name: 'check-pages', type: 'string', value: 'N', help: 'pages audited per check (default 5)' },
  { name: 'check-timeout', type: 'string', value: 'S', help: 'time budget of one check in seconds (default 180)' },
  { name: 'no-lighthouse', type: 'boolean', help: 'checks without the Lighthouse audit (faster)' },
  { name: 'max-connections', type: 'string', value: 'N', help: 'open connections at once; more are closed (default 256)' },
  { name: 'max-connections-per-client', type: 'string', value: 'N', help: 'open connections one client may hold (default 16); slow clients are cut after 10 s for headers, 30 s a request' },
  { name: 'public-url', type: 'string', value: 'URL', help: "the dashboard's public address: a check's shareable link is absolute (default: a path)" },
  { name: 'trust-proxy', type: 'string', value: 'ADDR,…', help: "reverse proxies whose X-Forwarded-For names the client (default none), e.g. 127.0.0.1" },
  { name: 'targets-dir', type: 'string', value: 'DIR', help: 'where the registries POST /api/runs and /api/schedules may name live (default targets/)' },
] as const satisfies readonly OptionDef[];

export const WORKER_COMMAND_OPTIONS = [
  redis('the Redis of the queue (required)'),
  { name: 'concurrency', type: 'string', value: 'N', help: 'sites at once, one browser each (default 1)' },
  { name: 'queue', type: 'string', value: 'NAME', help: 'the BullMQ queue of site jobs (default eindex-sites)' },
  { name: 'no-checks', type: 'boolean', help: "leave the dashboard's self-service checks to other workers" },
  { name: 'checks-queue', type: 'string', value: 'NAME', help: 'the BullMQ queue of checks (default eindex-checks)' },
  { name: 'allow-private', type: 'boolean', help: 'audit targets marked private (intranet sites) and let checks reach private addresses' },
  { name: 'lock-duration', type: 'string', value: 'MS', help: "how soon a killed worker's job is taken up again (default 60000)" },
  { name: 'stalled-interval', type: 'string', value: 'MS', help: 'how often stalled jobs are looked for (default 30000)' },
  { name: 'drain-timeout', type: 'string', value: 'MS', help: 'on SIGTERM, how long running audits may finish (default 120000)' },
  { name: 'config', type: 'string', value: 'FILE', help: "this worker's secrets for the runs that need them (headers, cookies, login steps: never sent through Redis)" },
] as const satisfies readonly OptionDef[];

export const SCHEDULE_COMMAND_OPTIONS = [
  redis('the Redis of the queue (required)'),
  { name: 'cron', type: 'string', value: 'PATTERN', help: 'when, e.g. "0 2 * * *" (2 am every night)' },
  { name: 'tz', type: 'string', value: 'ZONE', help: 'time zone of the pattern (default Europe/Riga)' },
  { name: 'name', type: 'string', value: 'NAME', help: "the schedule's name (default: from the targets file)" },
  { name: 'list', type: 'boolean', help: 'list the schedules' },
  { name: 'remove', type: 'string', value: 'NAME', help: 'remove a schedule' },
  { name: 'queue', type: 'string', value: 'NAME', help: 'the BullMQ queue of scheduled runs (default eindex-runs)' },
  ...AUDIT_OPTION_DEFS,
] as const satisfies readonly OptionDef[];

export const SCHEDULER_COMMAND_OPTIONS = [
  redis('the Redis of the queue (required)'), db,
  { name: 'queue', type: 'string', value: 'NAME', help: 'the BullMQ queue of scheduled runs (default eindex-runs)' },
] as const satisfies readonly OptionDef[];

export const DEMO_COMMAND_OPTIONS = [
  { name: 'no-lighthouse', type: 'boolean', help: 'skip the Lighthouse mobile audit (faster)' },
  { name: 'out', type: 'string', value: 'DIR', help: 'where the reports go (default reports/demo)' },
  { name: 'serve', type: 'boolean', help: 'only serve the demo sites until Ctrl-C' },
] as const satisfies readonly OptionDef[];

export const BENCH_COMMAND_OPTIONS = [
  { name: 'sites', type: 'string', value: 'N', help: 'sites at once (default 2)' },
  { name: 'concurrency', type: 'string', value: 'N', help: 'pages at once per site (default 2)' },
  { name: 'naive-pages', type: 'string', value: 'N', help: 'pages of each kind the naive way is timed on (default 4)' },
  { name: 'registry-sites', type: 'string', value: 'N', help: 'one-page sites of each registry run, generated and real (default 24)' },
  { name: 'long-pages', type: 'string', value: 'N', help: 'pages of the memory run (default 300)' },
  { name: 'design-pages', type: 'string', value: 'N', help: 'pages of the design-system site (default 20)' },
  { name: 'soak-pages', type: 'string', value: 'N', help: 'soak: pages in all (default 1000)' },
  { name: 'site-pages', type: 'string', value: 'N', help: 'soak: pages per site (default 20)' },
  { name: 'workers', type: 'string', value: 'N', help: 'soak: BullMQ worker processes (default 2)' },
  redis('soak: the Redis of the workers\' queue (default $REDIS_URL or redis://127.0.0.1:6379)'),
  { name: 'no-screenshots', type: 'boolean', help: 'keep no element screenshots' },
  { name: 'out', type: 'string', value: 'DIR', help: 'where the JSON report goes (default reports/bench)' },
] as const satisfies readonly OptionDef[];

export const RUNS_COMMAND_OPTIONS = [db, { name: 'limit', type: 'string', value: 'N', help: 'newest N runs (default 50)' }] as const satisfies readonly OptionDef[];
export const SHOW_COMMAND_OPTIONS = [db, { name: 'json', type: 'boolean', help: 'print JSON' }] as const satisfies readonly OptionDef[];
export const PRUNE_COMMAND_OPTIONS = [db, { name: 'keep', type: 'string', value: 'AGE', help: 'keep runs younger than AGE: 90d, 12w or 48h (required)' }] as const satisfies readonly OptionDef[];
