import type { Command } from 'commander';
import { getBackup } from '../../core/catalog';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { stringifyBackupInfoBrief, toBackupInfoBrief } from '../../core/meta';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';
import { required } from '../usage';

/**
 * `milvus-backup get -n NAME`: the backup's BackupInfoBrief as the Go tool prints it
 * (`json.MarshalIndent(brief, "", "    ")`, exact ids), read from the meta in storage. `--json` prints the same.
 * `-d/--detail` is accepted and does nothing, as in v0.5.16 (cmd/get/get.go: "[DEPRECATED] get complete
 * backup info"; the brief is always complete), so 0.5 scripts keep working; the Go tool's main rejects it.
 */
export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command('get')
    .description('get a backup by name')
    .option('-n, --name <name>', 'get backup with this name')
    .option('--json', 'print JSON (the default output is already the JSON brief)')
    .option('-d, --detail', 'deprecated, no effect: get always prints the complete backup info')
    .action(async (opts: { name?: string; json?: boolean; detail?: boolean }) => {
      const name = required(opts.name, '-n NAME', 'backup name');
      if (opts.detail) ctx.err('warning: -d/--detail is deprecated and has no effect: get always prints the complete backup info');
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const r = await getBackup(cat, name);
        ctx.out(stringifyBackupInfoBrief(toBackupInfoBrief(r.info, r.metaSize)));
      } finally {
        await cat.close();
      }
    });
}
