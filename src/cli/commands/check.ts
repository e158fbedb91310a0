import type { Command } from 'commander';
import { checkSetup } from '../../core/backup';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';

/**
 * `milvus-backup check`: the resolved configuration (secrets masked), then connectivity to Milvus and both
 * storages and a probe copy from the Milvus root to the backup root the way `create` would copy.
 */
export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('check connectivity to Milvus and object storage')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config } = loadCliConfig(ctx);
      const report = await checkSetup({ config });
      if (opts.json) {
        ctx.out(JSON.stringify(report, null, 2));
        return;
      }
      const w = Math.max(...report.config.map(([k]) => k.length));
      const lines = ['Configuration:', ...report.config.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`), ''];
      lines.push(`Milvus version: ${report.milvusVersion} (${report.milvusAddress})`);
      lines.push(`copy mode: ${report.transfer}; probe ${report.probe.srcKey} -> ${report.probe.dstKey}: ${report.probe.verified ? 'ok' : 'failed'}`);
      if (report.milvusRootEmpty) {
        lines.push('', '!!! Milvus root path is empty !!!', 'If your Milvus instance is expected to have data,',
          'please check your storage configuration.', '(address / bucket / rootPath).');
      } else lines.push('', 'Success!');
      for (const m of report.warnings.filter((x) => !x.startsWith('!!!'))) ctx.err(`warning: ${m}`);
      ctx.out(lines.join('\n'));
    });
}
