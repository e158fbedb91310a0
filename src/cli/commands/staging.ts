import type { Command } from 'commander';
import { formatBytes } from '../../core/bytes';
import { UserError } from '../../core/errors';
import { listStagingPrefixes, removeStaleStaging } from '../../core/restore/staleStaging';
import { createObjectStore } from '../../core/storage';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';

/**
 * `milvus-backup staging [--remove] [--older-than HOURS] [--json]` (not in the Go tool): the staging prefixes
 * (`restore-temp-*`) failed or killed restores left in the Milvus bucket; `--remove` deletes those whose newest
 * object is older than `--older-than` hours (default 24), so a restore still running is never touched.
 */
export function registerStaging(program: Command, ctx: CliContext): void {
  program
    .command('staging')
    .description('list (or --remove) staging prefixes left in the Milvus bucket by failed restores')
    .option('--remove', 'delete the stale ones')
    .option('--older-than <hours>', 'with --remove: only prefixes whose newest object is older than this (default 24)', '24')
    .option('--json', 'print JSON')
    .action(async (o: { remove?: boolean; olderThan: string; json?: boolean }) => {
      const hours = Number(o.olderThan);
      if (!Number.isFinite(hours) || hours < 0) throw new UserError('--older-than must be a number of hours (0 or more)', 'usage', 2);
      const { config } = loadCliConfig(ctx);
      const s = config.milvus.storage;
      const bucket = s.provider === 'local' ? s.bucketName || 'local' : s.bucketName;
      const store = createObjectStore(s);
      try {
        if (!o.remove) {
          const list = await listStagingPrefixes(store, bucket);
          if (o.json) ctx.out(JSON.stringify(list, null, 2));
          else if (list.length === 0) ctx.out(`no staging prefixes in bucket ${bucket}`);
          else for (const p of list) ctx.out(`${bucket}/${p.prefix}  ${p.objects} object(s), ${formatBytes(p.bytes)}, newest ${p.newest?.toISOString() ?? '-'}`);
          return;
        }
        const r = await removeStaleStaging(store, bucket, hours * 3_600_000);
        if (o.json) ctx.out(JSON.stringify(r, null, 2));
        else {
          for (const p of r.removed) ctx.out(`removed ${bucket}/${p.prefix} (${p.objects} object(s), ${formatBytes(p.bytes)})`);
          for (const p of r.kept) ctx.out(`kept ${bucket}/${p.prefix}: written to in the last ${hours} h (a restore may still be running)`);
          if (r.removed.length === 0 && r.kept.length === 0) ctx.out(`no staging prefixes in bucket ${bucket}`);
        }
      } finally {
        await store.close();
      }
    });
}
