import { UserError } from '../core/errors';
import { loadConfig, type ConfigProblem, type LoadedConfig } from '../core/config';
import type { CliContext } from './context';
import { usageError } from './usage';

/** Contexts whose warnings were already printed: a command may load twice, the user should read them once. */
const warned = new WeakSet<CliContext>();

/**
 * Loads the config the global flags name (`--config`, `--set`, the context's env) for a CLI command: a
 * malformed `--set` is a usage error (exit 2) naming the flag, warnings go to stderr once per run (all
 * plaintext secrets in one line), and any other error problem throws a UserError naming all of them (exit 1).
 */
export function loadCliConfig(ctx: CliContext): LoadedConfig {
  const g = ctx.globals();
  const loaded = loadConfig({ file: g.config, fileExplicit: g.configExplicit, set: g.set, env: ctx.env });
  throwIfBadSet(loaded.problems);
  const where = (line?: number) => `${loaded.config.file ?? g.config}${line ? `:${line}` : ''}`;
  if (!warned.has(ctx)) {
    warned.add(ctx);
    for (const line of warningLines(loaded.problems, where)) ctx.err(line);
  }
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((p) => `${where(p.range?.line)}: ${p.message}`);
    throw new UserError(errors.length === 1 ? `invalid configuration: ${lines[0]}` : `invalid configuration (${errors.length} errors):\n  ${lines.join('\n  ')}`, 'invalid-config');
  }
  return loaded;
}

/** Problems that are about the `--set` flag itself, not the file: the command line is wrong. */
const SET_FLAG_PROBLEMS = new Set(['invalid-set', 'invalid-override']);

/** A malformed `--set` item (no `=`, or a value the key's type cannot hold) is a usage error naming it. */
export function throwIfBadSet(problems: ConfigProblem[]): void {
  const bad = problems.filter((p) => p.severity === 'error' && SET_FLAG_PROBLEMS.has(p.code));
  if (bad.length === 0) return;
  const msg = bad.map((p) => p.message.replace(/^Invalid --set/, 'invalid --set')).join('; ');
  throw usageError(msg, 'invalid-set');
}

/**
 * The warning lines of a load: one line per problem, except plaintext secrets, which are one line for all of
 * them (a v1 file often has three or four; the advice is the same for each).
 */
export function warningLines(problems: ConfigProblem[], where: (line?: number) => string): string[] {
  const warnings = problems.filter((p) => p.severity === 'warning');
  const secrets = warnings.filter((p) => p.code === 'plaintext-secret');
  const lines = warnings.filter((p) => p.code !== 'plaintext-secret').map((p) => `warning: ${where(p.range?.line)}: ${p.message}`);
  if (secrets.length === 1) lines.unshift(`warning: ${where(secrets[0].range?.line)}: ${secrets[0].message}`);
  else if (secrets.length > 1) {
    const keys = secrets.map((p) => `${p.key}${p.range ? ` (line ${p.range.line})` : ''}`);
    const envs = secrets.map((p) => p.data?.env).filter((e): e is string => Boolean(e));
    lines.unshift(`warning: ${where()}: ${secrets.length} secrets in plain text: ${keys.join(', ')}; prefer supplying them through the environment${envs.length ? ` (${envs.join(', ')})` : ''} and leaving them out of the file.`);
  }
  return lines;
}
