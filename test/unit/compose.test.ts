// docker-compose.yml must stay valid (no Docker engine here: Debian's docker-compose parses it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

const compose = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));

describe('docker-compose.yml', () => {
  it('has redis, workers, the scheduler, the dashboard and a cli', () => {
    const file = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
    expect(Object.keys(file.services)).toEqual(expect.arrayContaining(['redis', 'worker', 'scheduler', 'web', 'cli']));
    expect(file.services.web.command).toEqual(expect.arrayContaining(['serve', '--redis', 'redis://redis:6379', '--host', '0.0.0.0']));
    expect(file.services.worker.command).toEqual(expect.arrayContaining(['worker', '--redis', 'redis://redis:6379']));
    // Nothing of ours runs as root, in compose or in the image.
    for (const name of ['worker', 'scheduler', 'web', 'cli']) expect(file.services[name].user, name).toBe('node');
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m);
  });
  it.skipIf(!compose)('parses with docker-compose config', () => {
    expect(() => execFileSync(compose!, ['config', '--quiet'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
  });
});
