import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, migrateV1ToV2, type ConfigProblem } from '../../core/config';
import { UserError } from '../../core/errors';
import type { CliContext } from '../context';
import { cliJson } from '../jsonOut';
import { throwIfBadSet } from '../loadCliConfig';
import { showConfig } from '../showConfig';

/**
 * `milvus-backup config validate|show|migrate`: the same loader the engine runs, so what `validate` calls an
 * error is exactly what `create`/`restore` refuse.
 */
export function registerConfig(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('check, show and migrate the backup.yaml configuration');

  config
    .command('validate [file]')
    .description('report the problems of a config file (default: the --config file); exit 1 when there is an error')
    .option('--json', 'print a JSON array of {line, column, end_line, end_column, severity, code, message, key}')
    .action((file: string | undefined, opts: { json?: boolean }) => {
      const g = ctx.globals();
      const name = file ?? g.config;
      const loaded = loadConfig({ file: name, fileExplicit: file !== undefined || g.configExplicit, set: g.set, env: ctx.env, schema: true });
      throwIfBadSet(loaded.problems);
      const problems = loaded.problems;
      const shown = loaded.config.file ?? name;
      if (opts.json) {
        ctx.out(cliJson(problems.map((p) => toJson(p))));
      } else {
        for (const p of problems) ctx.out(formatProblem(shown, p));
        const n = count(problems);
        ctx.out(`${shown}: ${n.error} error${n.error === 1 ? '' : 's'}, ${n.warning} warning${n.warning === 1 ? '' : 's'}${loaded.config.sourceVersion === 'none' ? '' : ` (${loaded.config.sourceVersion} config)`}`);
      }
      const errors = count(problems).error;
      if (errors > 0) throw new UserError(`${shown}: ${errors} error${errors === 1 ? '' : 's'} in the configuration`, 'invalid-config');
    });

  config
    .command('show')
    .description('print every parameter with its value (secrets masked), its source (override, env, config, default) and source key')
    .option('--json', 'print a JSON array of {key, value, source, source_key, secret, shadows}')
    .action((opts: { json?: boolean }) => showConfig(ctx, opts.json));

  config
    .command('migrate')
    .description('translate the v1 config named by --config into a complete v2 config (stdout, or -o FILE); secrets kept in env vars are referenced, not copied')
    .option('-o, --output <file>', 'write the v2 config here (default: stdout)')
    .option('--force', 'overwrite the output file if it already exists')
    .option('--strict', 'fail if the migrated config is not valid v2')
    .action((opts: { output?: string; force?: boolean; strict?: boolean }) => {
      const g = ctx.globals();
      // --set is not applied: overrides are per-run, not part of the file being migrated.
      const loaded = loadConfig({ file: g.config, fileExplicit: true, env: ctx.env });
      const file = loaded.config.file ?? g.config;
      // Like the Go tool: a file the v1 schema cannot even read is refused; what only fails v2 validation (an
      // empty Azure account name, say) is migrated and reported, since the fix may well be an env var.
      const unreadable = loaded.problems.filter((p) => p.severity === 'error' && UNREADABLE.has(p.code));
      if (unreadable.length) throw new UserError(`cannot migrate ${file}: ${unreadable.map((p) => (p.range ? `line ${p.range.line}: ${p.message}` : p.message)).join('; ')}`, 'invalid-config');
      if (loaded.config.sourceVersion === 'v2') throw new UserError(`${file} is already a v2 config`, 'already-v2');

      const result = migrateV1ToV2({ loaded, env: ctx.env });
      const report: string[] = [];
      for (const w of result.warnings) report.push(`warning: ${w}`);
      for (const p of result.validation) report.push(`warning: migrated config is not valid v2: ${p.message}`);
      if (result.envRenames.length) {
        report.push('v1 environment variables are set but inert under a v2 config, replace them with:');
        for (const r of result.envRenames) report.push(`  ${r.from} -> ${r.to}`);
      }
      if (report.length) ctx.err([`# migration report for ${file}`, ...report].join('\n'));
      if (opts.strict && result.validation.length) throw new UserError(`migrated config is not valid v2 (--strict): ${result.validation.map((p) => p.message).join('; ')}`, 'invalid-config');

      if (!opts.output || opts.output === '-') {
        ctx.out(result.text.replace(/\n$/, ''));
        return;
      }
      const target = resolve(opts.output);
      if (!opts.force && existsSync(target)) throw new UserError(`output file ${opts.output} already exists, use --force to overwrite`, 'output-exists');
      writeFileSync(target, result.text, { mode: 0o600 });
      ctx.err(`wrote v2 config to ${opts.output}`);
    });
}

/** Problems that mean the v1 file could not be read at all (as opposed to failing v2 validation). */
const UNREADABLE = new Set([
  'config-not-found', 'config-unreadable', 'yaml-syntax', 'duplicate-key', 'non-string-key', 'root-not-map',
  'invalid-int', 'invalid-bool', 'invalid-list', 'invalid-env', 'invalid-config-version',
]);

function toJson(p: ConfigProblem) {
  const r = p.range ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, severity: p.severity, code: p.code, message: p.message, key: p.key };
}

function formatProblem(file: string, p: ConfigProblem): string {
  const at = p.range ? `${p.range.line}:${p.range.column}` : '';
  return `${file}${at ? `:${at}` : ''}: ${p.severity}: ${p.message} [${p.code}]`;
}

function count(problems: ConfigProblem[]) {
  const n = { error: 0, warning: 0, information: 0 };
  for (const p of problems) n[p.severity]++;
  return n;
}
