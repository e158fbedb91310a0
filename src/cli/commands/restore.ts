import type { Command } from 'commander';
import { UserError } from '../../core/errors';
import { restoreBackup, type RestorePreview, type RestoreResult } from '../../core/restore';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';
import { runWithProgress } from '../runWithProgress';

/**
 * `milvus-backup restore -n NAME …` (spec §5.2, Go cmd/restore/restore.go). The 0.5 selection flags
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

const fmtBytes = (n: number) => (n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

export function formatPreview(p: RestorePreview): string {
  const lines: string[] = [];
  lines.push(`Plan: restore backup ${p.backup.name} (Milvus ${p.backup.milvusVersion || 'unknown'}) into ${p.target.address} (Milvus ${p.target.milvusVersion ?? 'not reachable'})`);
  lines.push(`  names: ${p.mapping}; import: ${p.importMode === 'merged' ? `merged jobs (≤ ${p.maxSegmentsPerImportJob} segments each)` : 'one job per segment'}`);
  lines.push(`  version compatibility: ${p.compatibility.ok ? 'ok' : `NO — ${p.compatibility.reason}`}`);
  for (const n of p.compatibility.notes ?? []) lines.push(`      note: ${n}`);
  if (p.databasesToCreate.length) lines.push(`  databases to create: ${p.databasesToCreate.join(', ')}`);
  if (p.rbac) lines.push(`  rbac to add: ${p.rbac.users} users, ${p.rbac.roles} roles, ${p.rbac.grants} grants, ${p.rbac.privilegeGroups} privilege groups`);
  for (const c of p.collections) {
    lines.push(`  ${c.source} → ${c.target}: ${c.action}${c.staging ? ', staged via the Milvus bucket' : ''}`);
    lines.push(`      ${c.partitions.length} partition(s), ${c.segments} segment(s), ${c.rows} rows, ${fmtBytes(c.bytes)}, import jobs: ${c.importJobs.data} data + ${c.importJobs.l0} L0, shards ${c.shards}${c.numPartitions ? `, num_partitions ${c.numPartitions}` : ''}`);
    if (c.indexes.length) lines.push(`      indexes: ${c.indexes.map((i) => `${i.field}:${i.type}`).join(', ')}`);
    for (const n of c.notes) lines.push(`      note: ${n}`);
    for (const pr of c.problems) lines.push(`      PROBLEM: ${pr}`);
  }
  lines.push(`  total: ${p.totals.collections} collection(s), ${p.totals.rows} rows, ${fmtBytes(p.totals.bytes)}, ${p.totals.importJobs} import job(s)`);
  for (const pr of p.problems) lines.push(`PROBLEM: ${pr}`);
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export function formatReport(r: RestoreResult): string {
  const lines: string[] = [];
  for (const c of r.collections) {
    const rows = c.rows ? `, ${c.rows.actual} rows${c.rows.verified ? ' (verified)' : ''}` : '';
    const jobs = c.importJobs.length ? `, ${c.importJobs.length} import job(s)` : '';
    lines.push(`${c.source} → ${c.target}: ${c.outcome}${c.created ? ', created' : ''}${c.complete ? '' : ', INCOMPLETE'}${rows}${jobs}${c.error ? ` — ${c.error}` : ''}`);
  }
  if (r.createdDatabases.length) lines.push(`created databases: ${r.createdDatabases.join(', ')}`);
  if (r.rbac) lines.push(`rbac added: ${r.rbac.users} users, ${r.rbac.roles} roles, ${r.rbac.grants} grants, ${r.rbac.privilegeGroups} privilege groups`);
  if (r.stagingLeft.length) lines.push(`staging left in place: ${r.stagingLeft.join(', ')}`);
  lines.push(r.ok ? `restore ${r.backupName} done` : r.error ?? 'restore failed');
  lines.push(`duration:${(r.durationMs / 1000).toFixed(2)} s`);
  return lines.join('\n');
}

export function registerRestore(program: Command, ctx: CliContext): void {
  program
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
      const name = o.name;
      if (!name) throw new UserError('backup name is required (-n NAME)', 'usage', 2);
      if (o.import_api && !['auto', 'rest', 'grpc'].includes(o.import_api)) throw new UserError('--import_api must be auto, rest or grpc', 'usage', 2);
      const maxShardNum = o.max_shard_num === undefined ? undefined : Number(o.max_shard_num);
      if (maxShardNum !== undefined && (!Number.isInteger(maxShardNum) || maxShardNum < 0)) throw new UserError('--max_shard_num must be a non-negative integer', 'usage', 2);
      if (o.restore_index) ctx.err('warning: --restore_index is deprecated, use --rebuild_index');
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
      if (o.json) ctx.out(JSON.stringify(r.preview ?? r, null, 2));
      else if (r.preview) ctx.out(formatPreview(r.preview));
      else ctx.out(formatReport(r));
      if (!r.ok) {
        if (r.preview) throw new UserError('the plan has problems (see above); nothing was changed', 'plan-problems');
        throw new UserError(r.error ?? 'restore failed', r.cancelled ? 'cancelled' : 'restore-failed');
      }
    });
}
