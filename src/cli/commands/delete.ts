import type { Command } from 'commander';
import { deleteBackup, describeLocation } from '../../core/catalog';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { formatBytes } from '../../core/bytes';
import { UserError } from '../../core/errors';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';

/**
 * `milvus-backup delete -n NAME`: removes everything under `<rootPath>/<NAME>/` — a complete backup or the
 * leftovers of a failed one — and says what it removed.
 */
export function registerDelete(program: Command, ctx: CliContext): void {
  program
    .command('delete')
    .description('delete a backup by name (also the leftovers of an incomplete one)')
    .option('-n, --name <name>', 'delete backup with this name')
    .action(async (opts: { name?: string }) => {
      if (!opts.name) throw new UserError('backup name is required (-n NAME)', 'usage');
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const r = await deleteBackup(cat, opts.name);
        const what = r.wasIncomplete ? 'incomplete backup' : 'backup';
        ctx.out(
          `deleted ${what} "${r.name}": ${r.objects} object${r.objects === 1 ? '' : 's'}, ${formatBytes(r.bytes)}${r.bytes >= 1024n ? ` (${r.bytes} bytes)` : ''} ` +
            `from ${describeLocation(cat, r.prefix)}`,
        );
      } finally {
        await cat.close();
      }
    });
}
