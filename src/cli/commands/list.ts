import type { Command } from 'commander';
import { listBackups } from '../../core/catalog';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { UserError } from '../../core/errors';
import { GoObject, goMarshal } from '../../core/meta';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';

/**
 * `milvus-backup list`: the backups under the backup root, printed like the Go tool (`>> Backups:` then one
 * name a line). Folders that are not complete backups (no `meta/backup_meta.json`, unreadable meta), which the
 * Go tool hides, are shown with an `[incomplete: …]` mark so they can be found and deleted.
 * `--json`: `[{"name","size","milvus_version","incomplete"}…]` with exact sizes.
 */
export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list all backups in the backup storage')
    .option('--json', 'print a JSON array of {name, size, milvus_version, incomplete}')
    .option('-c, --collection <name>', 'removed: listing backups by collection is no longer supported')
    .action(async (opts: { json?: boolean; collection?: string }) => {
      if (opts.collection !== undefined) {
        throw new UserError('flag -c/--collection was removed: listing backups by collection is no longer supported', 'removed-flag');
      }
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const entries = await listBackups(cat);
        if (opts.json) {
          ctx.out(goMarshal(entries.map((e) => new GoObject([
            ['name', e.name], ['size', e.size], ['milvus_version', e.milvusVersion], ['incomplete', e.incomplete],
          ])), '    '));
          return;
        }
        const lines = ['>> Backups:'];
        for (const e of entries) lines.push(e.incomplete ? `${e.name}  [${e.state}: ${e.problem}]` : e.name);
        ctx.out(lines.join('\n'));
      } finally {
        await cat.close();
      }
    });
}
