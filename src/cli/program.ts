import { Command, CommanderError } from 'commander';
import { errorOutcome } from './errorLine';
import { commands } from './commands';
import type { CliContext } from './context';

interface RunOptions {
  out?: (s: string) => void;
  err?: (s: string) => void;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
}

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit code: 0 ok, 1 a clear error
 * (one line on stderr), 2 usage errors. Never calls process.exit, so tests can run it in-process.
 */
export async function runCli(argv: string[], o: RunOptions = {}): Promise<number> {
  const out = o.out ?? ((s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'));
  const err = o.err ?? ((s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'));
  const program = new Command();
  program
    .name('milvus-backup')
    .description('Back up and restore Milvus collections (compatible with the Go milvus-backup tool).')
    .option('--config <file>', 'config file (resolved like the Go tool: path, $MILVUSCONF, ./configs/)', 'backup.yaml')
    .option('--set <key=value>', 'override a config key or env name, repeatable (e.g. --set milvus.port=19531)', collect, [])
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.replace(/\n$/, '')), writeErr: (s) => err(s.replace(/\n$/, '')) })
    .showHelpAfterError(false);
  const ctx: CliContext = {
    globals: () => {
      const g = program.opts<{ config: string; set: string[] }>();
      return { config: g.config, set: g.set, configExplicit: program.getOptionValueSource('config') === 'cli' };
    },
    out,
    err,
    isTTY: o.isTTY ?? Boolean(process.stdout.isTTY),
    env: o.env ?? process.env,
  };
  for (const register of commands) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exitCode 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    const outcome = errorOutcome(e);
    for (const line of outcome.lines) err(line);
    return outcome.exitCode;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter(Boolean)];
}
