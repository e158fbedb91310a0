import type { Command } from 'commander';
import { deleteBackup, describeLocation } from '../../core/catalog';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { formatBytes } from '../../core/bytes';
import type { CliContext } from '../context';
import { cliJson } from '../jsonOut';
import { loadCliConfig } from '../loadCliConfig';
import { required } from '../usage';

/**
 * `milvus-backup delete -n NAME`: removes everything under `<rootPath>/<NAME>/` — a complete backup or the
 * leftovers of a failed one — and says what it removed.
 */
export function registerDelete(program: Command, ctx: CliContext): void {
  program
    .command('delete')
    .description('delete a backup by name (also the leftovers of an incomplete one)')
    .option('-n, --name <name>', 'delete backup with this name')
    .option('--json', 'print {name, incomplete, objects, bytes, location} as JSON')
    .action(async (opts: { name?: string; json?: boolean }) => {
      const name = required(opts.name, '-n NAME', 'backup name');
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const r = await deleteBackup(cat, name);
        if (opts.json) {
          ctx.out(cliJson({ name: r.name, incomplete: r.wasIncomplete, objects: r.objects, bytes: r.bytes, location: describeLocation(cat, r.prefix) }));
          return;
        }
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
