import type { Command } from 'commander';
import { UserError } from '../../core/errors';
import { previewText, restoreBackup, type RestoreResult } from '../../core/restore';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';
import { runWithProgress } from '../runWithProgress';
import { cliJson } from '../jsonOut';
import { required, usageError } from '../usage';

/**
 * `milvus-backup restore -n NAME …` (Go `cmd/restore/restore.go`). The 0.5 selection flags
 * `-c/-d/-a` are accepted (the seed document uses `-c coll`): they select by name in the backup, before
 * `-s/-r`; `--filter` selects by target name, after them (Go main). `--dry-run` prints the plan and changes
 * nothing; `--json` prints the report (or the preview) as JSON on stdout, progress going to stderr.
 */
interface RestoreCliOptions {
  name?: string;
  collections?: string;
  databases?: string;
  database_collections?: string;
  suffix?: string;
  rename?: string;
  filter?: string;
  rebuild_index?: boolean;
  restore_index?: boolean;
  use_auto_index?: boolean;
  drop_exist_collection?: boolean;
  drop_exist_index?: boolean;
  skip_create_collection?: boolean;
  keep_failed?: boolean;
  meta_only?: boolean;
  rbac?: boolean;
  use_v2_restore?: boolean;
  truncate_binlog_by_ts?: boolean;
  max_shard_num?: string;
  import_api?: string;
  verify_rows?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function formatReport(r: RestoreResult): string {
  const lines: string[] = [];
  for (const c of r.collections) {
    const rows = c.rows ? `, ${c.rows.actual} rows${c.rows.verified ? ' (verified)' : ''}` : '';
    const jobs = c.importJobs.length ? `, ${c.importJobs.length} import job(s)` : '';
    lines.push(`${c.source} → ${c.target}: ${c.outcome}${c.rolledBack ? ', created and dropped again' : c.created ? ', created' : ''}${c.complete ? '' : ', INCOMPLETE'}${rows}${jobs}${c.error ? ` — ${c.error}` : ''}`);
  }
  if (r.createdDatabases.length) lines.push(`created databases: ${r.createdDatabases.join(', ')}`);
  if (r.rbac) lines.push(`rbac added: ${r.rbac.users} users, ${r.rbac.roles} roles, ${r.rbac.grants} grants, ${r.rbac.privilegeGroups} privilege groups`);
  if (r.stagingLeft.length) lines.push(`staging left in place: ${r.stagingLeft.join(', ')}`);
  lines.push(r.ok ? `restore ${r.backupName} done` : r.error ?? 'restore failed');
  lines.push(`duration: ${(r.durationMs / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

/**
 * Sources written the same way in more than one `-r` rule (`c1:c2,c1:c3`). The Go tool v0.5.16 reads the rules
 * into a map keyed by the source as written (cmd/restore/restore.go renameCollectionNamesToMapper), so only the
 * last survives; we restore into every target, as Go itself does when the spellings differ (`c1:c2,default.c1:c3`).
 */
export function repeatedRenameSources(rename: string | undefined): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const rule of (rename ?? '').split(',')) {
    const src = rule.split(':')[0].trim();
    if (src === '' || !rule.includes(':')) continue;
    if (seen.has(src)) repeated.add(src);
    seen.add(src);
  }
  return [...repeated];
}

export function registerRestore(program: Command, ctx: CliContext): void {
  const restore = program
    .command('restore')
    .description('restore a backup into Milvus')
    .option('-n, --name <name>', 'backup name to restore')
    .option('-c, --collections <names>', 'collections to restore, by their name in the backup (coll,db.coll) — 0.5 flag; --filter selects target names')
    .option('-d, --databases <names>', 'databases to restore, by name in the backup — 0.5 flag')
    .option('-a, --database_collections <json>', 'JSON {"db":["c1"],"db2":[]} by names in the backup — 0.5 flag')
    .option('-s, --suffix <suffix>', 'add a suffix to collection names')
    .option('-r, --rename <rules>', 'rename: db1.*:db2.*,c1:c2,db1.c1:db2.c2')
    .option('--filter <filter>', 'restore only these targets (names after -s/-r): coll,db.coll,db.*,db.')
    .option('--rebuild_index', 'rebuild the backed-up indexes before importing')
    .option('--restore_index', 'deprecated alias of --rebuild_index')
    .option('--use_auto_index', 'with --rebuild_index: vector indexes become AUTOINDEX')
    .option('--drop_exist_collection', 'drop a target collection that exists before creating it')
    .option('--drop_exist_index', 'drop the existing indexes of the target collection')
    .option('--skip_create_collection', 'import into existing collections instead of creating them')
    .option('--keep_failed', 'keep a collection this restore created when its restore fails or is cancelled (default: drop it)')
    .option('--meta_only', 'restore schema, indexes and partitions only')
    .option('--rbac', 'add users, roles, grants and privilege groups missing on the target')
    .option('--use_v2_restore', 'accepted for compatibility: merged import jobs are already the default')
    .option('--truncate_binlog_by_ts', 'import only data up to each channel checkpoint (end_ts)')
    .option('--max_shard_num <n>', 'cap the shards of created collections')
    .option('--import_api <api>', 'auto (default), rest (merged jobs) or grpc (one job per segment)')
    .option('--no-verify_rows', 'skip the row-count check after import')
    .option('--dry-run', 'print what would be done, change nothing')
    .option('--json', 'print the report (or the plan) as JSON')
    .action(async (o: RestoreCliOptions) => {
      const name = required(o.name, '-n NAME', 'backup name');
      if (o.import_api && !['auto', 'rest', 'grpc'].includes(o.import_api)) throw usageError('--import_api must be auto, rest or grpc');
      const maxShardNum = o.max_shard_num === undefined ? undefined : Number(o.max_shard_num);
      if (maxShardNum !== undefined && (!Number.isInteger(maxShardNum) || maxShardNum < 0)) throw usageError('--max_shard_num must be a non-negative integer');
      if (o.restore_index) ctx.err('warning: --restore_index is deprecated, use --rebuild_index');
      for (const src of repeatedRenameSources(o.rename)) {
        ctx.err(`warning: -r names ${src} as the source of more than one rule: it is restored into each target (the Go tool v0.5.16 keeps only the last rule)`);
      }
      const { config } = loadCliConfig(ctx);
      const r: RestoreResult = await runWithProgress(ctx, o.json, (signal, onProgress) =>
        restoreBackup({
          config,
          name,
          suffix: o.suffix,
          rename: o.rename,
          filter: o.filter,
          collections: o.collections,
          databases: o.databases,
          databaseCollections: o.database_collections,
          rebuildIndex: Boolean(o.rebuild_index || o.restore_index),
          useAutoIndex: o.use_auto_index,
          dropExistCollection: o.drop_exist_collection,
          dropExistIndex: o.drop_exist_index,
          skipCreateCollection: o.skip_create_collection,
          keepFailed: o.keep_failed,
          metaOnly: o.meta_only,
          rbac: o.rbac,
          truncateBinlogByTs: o.truncate_binlog_by_ts,
          maxShardNum,
          importApi: (o.import_api as 'auto' | 'rest' | 'grpc' | undefined) ?? 'auto',
          verifyRowCount: o.verify_rows !== false,
          dryRun: o.dryRun,
          signal,
          onProgress,
        }),
      );
      if (o.json) ctx.out(cliJson(r.preview ?? r));
      else if (r.preview) ctx.out(previewText(r.preview));
      else ctx.out(formatReport(r));
      if (!r.ok) {
        if (r.preview) throw new UserError('the plan has problems (see above); nothing was changed', 'plan-problems');
        // 130 for a cancel (Ctrl-C), as `create`: the shell's code for SIGINT
        throw new UserError(r.error ?? 'restore failed', r.cancelled ? 'cancelled' : 'restore-failed', r.cancelled ? 130 : 1);
      }
    });

  // Go cmd/restore/secondary.go: restore into a CDC secondary cluster, replaying the primary's channel positions
  restore
    .command('secondary')
    .description('not supported yet: restore into a CDC secondary cluster')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .action(() => {
      throw new UserError('restore secondary is not supported yet by this milvus-backup; restore into the secondary with `restore -n NAME` and a config pointing at it (without the CDC channel positions), or use the Go milvus-backup tool', 'not-supported');
    });
}
