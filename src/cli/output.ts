// Where a command's outputs go: a file each (written atomically), or "-" for standard output — one
// output at most, so what a pipe reads is one document and everything else goes to standard error.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';

export function outputs<K extends string>(targets: Partial<Record<K, string>>) {
  const toStdout = (Object.entries(targets) as [K, string | undefined][]).filter(([, v]) => v === '-').map(([k]) => k);
  if (toStdout.length > 1) throw new UserError(`only one output can go to standard output ("-"), not ${toStdout.map((k) => `--${k}`).join(' and ')}`);
  // Checked before any work: an audit of twenty minutes must not end in "EISDIR" with its result lost.
  for (const [kind, target] of Object.entries(targets) as [K, string | undefined][]) if (target && target !== '-') checkWritable(`--${kind}`, target);
  return {
    usesStdout: toStdout.length > 0,
    /** Whether any output was asked for. */
    any: Object.values(targets).some(Boolean),
    write(kind: K, render: () => string) {
      const target = targets[kind];
      if (!target) return;
      if (target === '-') process.stdout.write(render());
      else writeFileAtomic(target, render());
    },
  };
}

/** A file that can be written: not a folder, in a folder that exists (or can be made) and is writable. */
export function checkWritable(option: string, path: string) {
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UserError(`${option} ${path} is a folder: name a file in it`);
  let dir = dirname(full);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.W_OK);
    if (existsSync(full)) accessSync(full, constants.W_OK);
  } catch {
    throw new UserError(`${option} ${path} cannot be written (${dir} is not a writable folder)`);
  }
}
