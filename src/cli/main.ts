// The eindex command line: the parser and generated help (commander) built from the table in commands.ts.
// Every failure the user can cause ends as one line and exit 2; exit codes 0/1/2/3 as documented.
//
// commander: no dependencies, Node 20 supported by its 14.x line, generated help per subcommand, and
// "did you mean" for mistyped commands and options; yargs pulls in a dozen packages, and citty's help and
// suggestions are thinner.
import { Command, CommanderError, Option } from 'commander';
import { UserError, errorMessage } from '../util/errors.js';
import type { OptionDef } from '../util/option-def.js';
import { TOOL_VERSION } from '../version.js';
import { COMMANDS } from './commands.js';

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** commander's values, keyed back by our option names (a negatable no-x is true when given). */
function valuesOf(defs: readonly OptionDef[], opts: Record<string, unknown>): Record<string, string | boolean | string[] | undefined> {
  return Object.fromEntries(defs.map((d) => [d.name, d.name.startsWith('no-') ? opts[camel(d.name.slice(3))] === false : (opts[camel(d.name)] as string | boolean | string[] | undefined)]));
}

function program(onRun: (code: Promise<number>) => void): Command {
  const root = new Command('eindex')
    .description(`eindex ${TOOL_VERSION} — accessibility and mobile audits for Latvia's e-index`)
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', '\nEach command has its own help: eindex <command> --help. Exit codes: 0 done, 1 a threshold not met, 2 bad input, 3 internal error.')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });
  for (const def of COMMANDS) {
    const cmd = root.command(def.name).summary(def.summary).description(def.description ?? def.summary)
      .helpOption('-h, --help', 'show help').showSuggestionAfterError(true).exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
    if (def.args) cmd.arguments(def.args);
    for (const d of def.options) {
      const flags = `${d.short ? `-${d.short}, ` : ''}--${d.name}${d.type === 'string' ? ` <${d.value ?? 'value'}>` : ''}`;
      const option = new Option(flags, d.help);
      if (d.multiple) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      cmd.addOption(option);
    }
    if (def.after) cmd.addHelpText('after', `\n${def.after}`);
    cmd.action((...params: unknown[]) => {
      const self = params.at(-1) as Command;
      onRun(def.run(valuesOf(def.options, self.opts()), self.args));
    });
  }
  return root;
}

/** commander's message in our words, on one line: "unknown option '--max-page' (did you mean --max-pages?)". */
function oneLine(err: CommanderError, argv: string[]): string {
  const text = err.message.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean $1?)').replace(/\n/g, ' ');
  const command = COMMANDS.find((c) => argv.includes(c.name));
  return `${text} (eindex ${command ? `${command.name} ` : ''}--help)`;
}

export async function main(argv: string[]): Promise<number> {
  let running: Promise<number> | null = null;
  try {
    if (!argv.length) {
      process.stderr.write(program(() => {}).helpInformation());
      return 2;
    }
    await program((p) => (running = p)).parseAsync(argv, { from: 'user' });
    return running ? await running : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version were printed: exit 0. A usage error: one line, exit 2.
      if (err.exitCode === 0) return 0;
      console.error(`eindex: ${oneLine(err, argv)}`);
      return 2;
    }
    if (err instanceof UserError) {
      console.error(`eindex: ${errorMessage(err)}`);
      return err.exitCode;
    }
    console.error(`eindex: internal error: ${errorMessage(err)}${process.env.EINDEX_DEBUG ? `\n${(err as Error).stack}` : ' (set EINDEX_DEBUG=1 for details)'}`);
    return 3;
  }
}
