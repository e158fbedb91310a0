import type { Command } from 'commander';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { UserError } from '../../core/errors';
import { formatVerifyReport, verifyBackupReport } from '../../core/verify/verifyDeep';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';
import { runWithProgress } from '../runWithProgress';

/**
 * `milvus-backup verify -n NAME [--deep] [--json]` (not in the Go tool): proves a backup before it is needed.
 * Every binlog the meta names must be present with its recorded size; `--deep` also reads each one and compares
 * it with the checksum recorded at backup time. Exit 1 with the report when anything is wrong.
 */
export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description('check that a backup is whole: every object present with its size; --deep reads and checksums each')
    .option('-n, --name <name>', 'backup name')
    .option('--deep', 'read every object and compare it with the checksum recorded at backup time')
    .option('--json', 'print the report as JSON')
    .action(async (o: { name?: string; deep?: boolean; json?: boolean }) => {
      if (!o.name) throw new UserError('backup name is required (-n NAME)', 'usage', 2);
      const name = o.name;
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const r = await runWithProgress(ctx, o.json, (signal, onProgress) =>
          verifyBackupReport(cat, name, {
            deep: o.deep,
            signal,
            onProgress: (done, total) => onProgress({ kind: 'bytes', doneBytes: 0, totalBytes: 0, doneObjects: done, totalObjects: total }),
          }),
        );
        if (o.json) ctx.out(JSON.stringify(r, null, 2));
        else ctx.out(formatVerifyReport(r).join('\n'));
        if (!r.ok) throw new UserError(`backup ${name} failed verification (see the report above)`, 'verify-failed');
      } finally {
        await cat.close();
      }
    });
}
