import type { Command } from 'commander';
import { getBackup } from '../../core/catalog';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { UserError } from '../../core/errors';
import { stringifyBackupInfoBrief, toBackupInfoBrief } from '../../core/meta';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';

/**
 * `milvus-backup get -n NAME`: the backup's BackupInfoBrief as the Go tool prints it
 * (`json.MarshalIndent(brief, "", "    ")`, exact ids), read from the meta in storage. `--json` prints the same.
 */
export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command('get')
    .description('get a backup by name')
    .option('-n, --name <name>', 'get backup with this name')
    .option('--json', 'print JSON (the default output is already the JSON brief)')
    .option('-d, --detail', 'removed: get always prints the complete backup info')
    .action(async (opts: { name?: string; json?: boolean; detail?: boolean }) => {
      if (opts.detail) throw new UserError('flag -d/--detail was removed: get always prints the complete backup info', 'removed-flag');
      if (!opts.name) throw new UserError('backup name is required (-n NAME)', 'usage');
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const r = await getBackup(cat, opts.name);
        ctx.out(stringifyBackupInfoBrief(toBackupInfoBrief(r.info, r.metaSize)));
      } finally {
        await cat.close();
      }
    });
}
