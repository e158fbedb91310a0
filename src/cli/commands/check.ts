import type { Command } from 'commander';
import { checkSetup } from '../../core/backup';
import { GoObject } from '../../core/meta';
import type { CliContext } from '../context';
import { cliJson } from '../jsonOut';
import { loadCliConfig } from '../loadCliConfig';
import { configTable, showConfig, showRows, type ShowRow } from '../showConfig';

/**
 * `milvus-backup check`: the configuration that decides the connections (keys as the user writes them in this
 * file's schema, secrets masked), then connectivity to Milvus and both storages and a probe copy from the
 * Milvus root to the backup root the way `create` would copy. `check config` prints the whole configuration
 * and connects to nothing, as in v0.5.16 (cmd/check/config.go).
 */
export function registerCheck(program: Command, ctx: CliContext): void {
  const check = program
    .command('check')
    .description('check connectivity to Milvus and object storage')
    .option('--json', 'print {config: {key: value}, milvus_version, …} as JSON')
    .action(async (opts: { json?: boolean }) => {
      const loaded = loadCliConfig(ctx);
      const rows = connectionRows(showRows(loaded));
      if (!opts.json) {
        // Like the Go tool's main: the configuration first, so it is visible even when a connection fails.
        ctx.out(['Configuration:', configTable(rows, { note: false, indent: '  ' }), ''].join('\n'));
      }
      const report = await checkSetup({ config: loaded.config });
      if (opts.json) {
        const { config: _engineRows, ...rest } = report;
        ctx.out(cliJson({ config: new GoObject(rows.map((r) => [r.key, r.value])), ...rest }));
        return;
      }
      const lines: string[] = [];
      lines.push(`Milvus version: ${report.milvusVersion} (${report.milvusAddress})`);
      lines.push(`copy mode: ${report.transfer}; probe ${report.probe.srcKey} -> ${report.probe.dstKey}: ${report.probe.verified ? 'ok' : 'failed'}`);
      if (report.milvusRootEmpty) {
        lines.push('', '!!! Milvus root path is empty !!!', 'If your Milvus instance is expected to have data,',
          'please check your storage configuration.', '(address / bucket / rootPath).');
      } else lines.push('', 'Success!');
      for (const m of report.warnings.filter((x) => !x.startsWith('!!!'))) ctx.err(`warning: ${m}`);
      ctx.out(lines.join('\n'));
    });

  check
    .command('config')
    .description('print all configuration parameters with their values and sources, connect to nothing (same as config show)')
    .option('--json', 'print a JSON array of {key, value, source, source_key, secret, shadows}')
    .action((opts: { json?: boolean }) => showConfig(ctx, opts.json));
}

/** Prefixes of the parameters that decide where check (and create/restore) connect, in both schemas. */
const CONNECTION_PREFIXES = ['milvus.', 'minio.', 'backup.storage.', 'backup.gcPause.', 'backup.pauseGC', 'transfer.'];

/** The rows check prints: the connection parameters, leaving out the unset ones (empty defaults) and etcd. */
function connectionRows(rows: ShowRow[]): ShowRow[] {
  return rows.filter((r) => CONNECTION_PREFIXES.some((p) => r.key.startsWith(p)) && !r.key.startsWith('milvus.etcd.')
    && !(r.value === '' && r.source === 'default'));
}
