import type { Command } from 'commander';
import { createBackup, parseStrategy, type BackupSummary, type Strategy } from '../../core/backup';
import { cleanupTextOf } from '../../core/backup/cleanup';
import { defaultBackupName } from '../../core/catalog/names';
import { UserError } from '../../core/errors';
import { FilterSyntaxError, selectionToFilter } from '../../core/names/filter';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';
import { formatBytes } from '../../core/bytes';
import { runWithProgress } from '../runWithProgress';
import { cliJson } from '../jsonOut';
import { usageError } from '../usage';

interface CreateFlags {
  name?: string;
  filter?: string;
  strategy?: string;
  rbac?: boolean;
  json?: boolean;
  colls?: string;
  databases?: string;
  databaseCollections?: string;
  force?: boolean;
  metaOnly?: boolean;
}

/**
 * `milvus-backup create -n NAME [--filter …] [--strategy …] [--rbac] [--json]` (Go `cmd/create/create.go`). The 0.5 line's
 * deprecated flags (`-c`, `-d`, `-a`, `-f`, `--meta_only`) still work, each with a notice naming its
 * replacement. Ctrl-C cancels: what was copied is removed and GC is resumed.
 */
export function registerCreate(program: Command, ctx: CliContext): void {
  program
    .command('create')
    .description('create a backup')
    .option('-n, --name <name>', 'backup name (default: backup_<UTC time>_<ns>)')
    .option('--filter <rules>', 'collections to back up: coll, db.coll, db.* or db. separated by commas (default: all)')
    .option('--strategy <strategy>', 'meta_only, skip_flush, bulk_flush or serial_flush (default: chosen by Milvus version)')
    .option('--rbac', 'also back up users, roles and grants')
    .option('--json', 'print the result as JSON')
    .option('--format <format>', 'auto or binlog (the snapshot format of Milvus 3.0 is not supported yet)')
    .option('--backup_index_extra', 'not supported: needs direct access to Milvus\'s etcd')
    .option('-c, --colls <names>', 'deprecated: use --filter')
    .option('-d, --databases <names>', 'deprecated: use --filter db.*')
    .option('-a, --database_collections <json>', 'deprecated: use --filter')
    .option('-f, --force', 'deprecated: use --strategy skip_flush')
    .option('--meta_only', 'deprecated: use --strategy meta_only')
    .action(async (raw: Record<string, unknown>) => {
      const f: CreateFlags = {
        name: raw.name as string | undefined,
        filter: raw.filter as string | undefined,
        strategy: raw.strategy as string | undefined,
        rbac: Boolean(raw.rbac),
        json: Boolean(raw.json),
        colls: raw.colls as string | undefined,
        databases: raw.databases as string | undefined,
        databaseCollections: raw.database_collections as string | undefined,
        force: Boolean(raw.force),
        metaOnly: Boolean(raw.meta_only),
      };
      if (raw.backup_index_extra) {
        throw new UserError('--backup_index_extra is not supported: it reads index details from Milvus\'s etcd, which this tool does not access', 'unsupported-flag');
      }
      const format = (raw.format as string | undefined) ?? 'auto';
      if (format === 'snapshot') {
        throw new UserError('--format snapshot (Milvus 3.0 snapshots) is not supported yet; use --format binlog', 'unsupported-format');
      }
      if (format !== 'auto' && format !== 'binlog') {
        throw usageError(`invalid format "${format}": use auto or binlog`, 'invalid-format');
      }
      const name = f.name || defaultBackupName();
      let sel;
      try {
        sel = selectionToFilter(f.filter, { collections: f.colls, databases: f.databases, databaseCollections: f.databaseCollections });
      } catch (e) {
        if (e instanceof FilterSyntaxError) throw usageError(e.message, 'invalid-filter');
        throw e;
      }
      for (const n of sel.notices) ctx.err(`warning: ${n}`);
      let strategy: Strategy;
      try {
        strategy = parseStrategy(f.strategy);
      } catch (e) {
        if (e instanceof UserError) throw usageError(e.message, e.code);
        throw e;
      }
      if (!f.strategy && f.force) {
        strategy = 'skip_flush';
        ctx.err('warning: -f/--force is deprecated, use --strategy skip_flush');
      } else if (!f.strategy && f.metaOnly) {
        strategy = 'meta_only';
        ctx.err('warning: --meta_only is deprecated, use --strategy meta_only');
      }
      const { config } = loadCliConfig(ctx);

      const summary: BackupSummary = await runWithProgress(ctx, f.json, async (signal, onProgress) => {
        try {
          return await createBackup({ config, name, filter: sel.filter, strategy, rbac: f.rbac, signal, onProgress });
        } catch (e) {
          // the clean-up says what it removed and what is left (never "removed" when it could not)
          if (signal.aborted) throw new UserError(`create ${name}: cancelled; ${cleanupTextOf(e) ?? 'nothing had been written'}`, 'cancelled', 130);
          throw e;
        }
      });
      if (f.json) {
        const { etags, ...rest } = summary;
        ctx.out(cliJson({ ...rest, etags: Object.keys(etags).length }));
        return;
      }
      const lines = ['create backup success', `name: ${summary.name}`, `location: ${summary.bucket}/${summary.path}`];
      lines.push(`milvus: ${summary.milvusVersion}  strategy: ${summary.strategy}  transfer: ${summary.transfer}`);
      for (const c of summary.collections) {
        lines.push(`  ${c.db}.${c.collection}: ${c.segments} segment(s), ${c.rows} rows, ${formatBytes(c.bytes)}`);
      }
      lines.push(`size: ${formatBytes(summary.bytes)} in ${summary.objects} object(s)`);
      lines.push(`duration: ${(summary.durationMs / 1000).toFixed(2)} s`);
      ctx.out(lines.join('\n'));
    });
}
