import type { Command } from 'commander';
import { checkSetup, configRows } from '../../core/backup';
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
      if (!opts.json) {
        // Like the Go tool: the configuration first, so it is visible even when a connection fails.
        const rows = configRows(config);
        const w = Math.max(...rows.map(([k]) => k.length));
        ctx.out(['Configuration:', ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`), ''].join('\n'));
      }
      const report = await checkSetup({ config });
      if (opts.json) {
        ctx.out(JSON.stringify(report, null, 2));
        return;
      }
      const lines: string[] = [];
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
