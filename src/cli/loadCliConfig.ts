import { UserError } from '../core/errors';
import { loadConfig, type LoadedConfig } from '../core/config';
import type { CliContext } from './context';

/** Contexts whose warnings were already printed: a command may load twice, the user should read them once. */
const warned = new WeakSet<CliContext>();

/**
 * Loads the config the global flags name (`--config`, `--set`, the context's env) for a CLI command: warnings go
 * to stderr once, and any error problem throws a UserError naming all of them (exit 1, one clear line each).
 */
export function loadCliConfig(ctx: CliContext): LoadedConfig {
  const g = ctx.globals();
  const loaded = loadConfig({ file: g.config, fileExplicit: g.configExplicit, set: g.set, env: ctx.env });
  const where = (line?: number) => `${loaded.config.file ?? g.config}${line ? `:${line}` : ''}`;
  if (!warned.has(ctx)) {
    warned.add(ctx);
    for (const p of loaded.problems) if (p.severity === 'warning') ctx.err(`warning: ${where(p.range?.line)}: ${p.message}`);
  }
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((p) => `${where(p.range?.line)}: ${p.message}`);
    throw new UserError(errors.length === 1 ? `invalid configuration: ${lines[0]}` : `invalid configuration (${errors.length} errors):\n  ${lines.join('\n  ')}`, 'invalid-config');
  }
  return loaded;
}
