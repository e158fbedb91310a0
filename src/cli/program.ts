import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { UserError } from '../core/errors';
import { commands } from './commands';
import type { CliContext } from './context';
import { errorOutcome } from './errorLine';
import { errorJson } from './jsonOut';

export interface RunOptions {
  out?: (s: string) => void;
  err?: (s: string) => void;
  /** raw stderr (the progress bar); defaults to `err` without the added newline when `err` is given */
  errWrite?: (s: string) => void;
  env?: NodeJS.ProcessEnv;
  /** whether stderr (where progress is drawn) is a terminal; default process.stderr.isTTY */
  isTTY?: boolean;
}

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit code: 0 ok, 1 a clear error
 * (one line on stderr), 2 usage errors. With `--json` anywhere on the line, errors are one JSON object on
 * stderr (`{"error": {"code", "message", "exit_code"}}`) so a script reading JSON never parses prose.
 * Never calls process.exit, so tests can run it in-process.
 */
export async function runCli(argv: string[], o: RunOptions = {}): Promise<number> {
  const out = o.out ?? ((s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'));
  const err = o.err ?? ((s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'));
  const json = wantsJson(argv);
  /** commander's own error text, held back in --json mode and printed as JSON instead */
  let commanderError = '';
  const program = new Command();
  program
    .name('milvus-backup')
    .description('Back up and restore Milvus collections (compatible with the Go milvus-backup tool).')
    .version(`milvus-backup ${version}`, '--version', 'print the version and exit')
    .option('--config <file>', 'config file (resolved like the Go tool: path, $MILVUSCONF, ./configs/)', 'backup.yaml')
    .option('--set <key=value>', 'override a config key or env name, repeatable (e.g. --set MILVUS_USER=root; `config show` lists the keys)', collect, [])
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out(s.replace(/\n$/, '')),
      writeErr: (s) => err(s.replace(/\n$/, '')),
      outputError: (s, write) => (json ? (commanderError += s) : write(s)),
    })
    .showHelpAfterError(false);
  const ctx = createContext(program, o, out, err);
  for (const register of commands) register(program, ctx);
  const fail = (code: string, message: string, exitCode: number) => {
    err(json ? errorJson(code, message, exitCode) : `Error: ${message}`);
    return exitCode;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exitCode 0; usage errors were already printed by commander
      // (or held back in --json mode).
      if (e.exitCode === 0) return 0;
      if (json) return fail(e.code.replace(/^commander\./, ''), (commanderError || e.message).trim().replace(/^error: /, ''), 2);
      return 2;
    }
    if (e instanceof UserError) return fail(e.code, e.message, e.exitCode);
    // one line for Milvus, gRPC, verification… failures; a stack only for programming errors (errorLine.ts)
    const outcome = errorOutcome(e, { stack: !json });
    return fail(outcome.code, outcome.message, outcome.exitCode);
  }
}

/**
 * The context the commands get. Progress is drawn on stderr, so whether stderr (not stdout) is a terminal
 * decides bar or lines: `create … >out.txt` keeps the bar, `create … 2>err.txt` gets plain lines in the file.
 */
export function createContext(program: Command, o: RunOptions, out: (s: string) => void, err: (s: string) => void): CliContext {
  return {
    globals: () => {
      const g = program.opts<{ config: string; set: string[] }>();
      return { config: g.config, set: g.set, configExplicit: program.getOptionValueSource('config') === 'cli' };
    },
    out,
    err,
    errWrite: o.errWrite ?? (o.err ? (s) => o.err!(s) : (s) => process.stderr.write(s)),
    stderrIsTTY: o.isTTY ?? Boolean(process.stderr.isTTY),
    columns: o.isTTY === undefined ? process.stderr.columns : undefined,
    env: o.env ?? process.env,
  };
}

/** `--json` given as a flag (not after `--`, not as the value of another flag such as `-n --json`). */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}
