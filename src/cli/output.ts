// Where a command's outputs go: a file each (written atomically), or "-" for standard output — one
// output at most, so what a pipe reads is one document and everything else goes to standard error.
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';

export function outputs<K extends string>(targets: Partial<Record<K, string>>) {
  const toStdout = (Object.entries(targets) as [K, string | undefined][]).filter(([, v]) => v === '-').map(([k]) => k);
  if (toStdout.length > 1) throw new UserError(`only one output can go to standard output ("-"), not ${toStdout.map((k) => `--${k}`).join(' and ')}`);
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
