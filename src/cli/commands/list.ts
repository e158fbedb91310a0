import type { Command } from 'commander';
import { listBackups } from '../../core/catalog';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import { GoObject } from '../../core/meta';
import type { CliContext } from '../context';
import { cliJson } from '../jsonOut';
import { loadCliConfig } from '../loadCliConfig';
import { usageError } from '../usage';

/**
 * `milvus-backup list`: the backups under the backup root, printed as the Go tool prints them (cmd/list/list.go:
 * `>> Backups:` then one complete backup name a line), so scripts that read the names after that line keep
 * working. Folders that are not complete backups (no `meta/backup_meta.json`, unreadable meta), which the Go
 * tool hides, are not mixed in: plain `list` only says on stderr how many there are; `--all` prints them after
 * the backups under `>> Incomplete (not restorable; delete -n NAME removes one):`, one `NAME  [state: problem]`
 * a line; `--json` lists every folder with its `incomplete` flag.
 */
export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list all backups in the backup storage')
    .option('--all', 'also list folders that are not complete backups (leftovers of failed or running backups)')
    .option('--json', 'print a JSON array of {name, size, milvus_version, incomplete, state, problem} for every folder')
    .option('-c, --collection <name>', 'removed: listing backups by collection is no longer supported')
    .action(async (opts: { json?: boolean; all?: boolean; collection?: string }) => {
      if (opts.collection !== undefined) {
        throw usageError('flag -c/--collection was removed: listing backups by collection is no longer supported', 'removed-flag');
      }
      const { config } = loadCliConfig(ctx);
      const cat = openBackupCatalog(config);
      try {
        const entries = await listBackups(cat);
        if (opts.json) {
          ctx.out(cliJson(entries.map((e) => new GoObject([
            ['name', e.name], ['size', e.size], ['milvus_version', e.milvusVersion], ['incomplete', e.incomplete],
            ['state', e.state], ...(e.problem ? [['problem', e.problem] as [string, string]] : []),
          ]))));
          return;
        }
        const complete = entries.filter((e) => !e.incomplete);
        const leftovers = entries.filter((e) => e.incomplete);
        const lines = ['>> Backups:', ...complete.map((e) => e.name)];
        if (opts.all && leftovers.length) {
          lines.push('>> Incomplete (not restorable; delete -n NAME removes one):', ...leftovers.map((e) => `${e.name}  [${e.state}: ${e.problem}]`));
        }
        ctx.out(lines.join('\n'));
        if (!opts.all && leftovers.length) {
          ctx.err(`note: ${leftovers.length} folder${leftovers.length === 1 ? ' is not a complete backup' : 's are not complete backups'} (${leftovers.map((e) => e.name).join(', ')}); list --all shows why`);
        }
      } finally {
        await cat.close();
      }
    });
}
