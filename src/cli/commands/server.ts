import type { Command } from 'commander';
import type { CliContext } from '../context';
import { loadCliConfig } from '../loadCliConfig';
import { startBackupServer } from '../server/app';
import { usageError } from '../usage';

/**
 * `milvus-backup server [-p PORT] [--host HOST]`: the Go tool's REST server (cmd/server/server.go): port from
 * `-p`, else $SERVER_PORT, else 8080, on every interface unless `--host` names one. Runs until SIGINT/SIGTERM,
 * then stops taking requests, cancels running tasks (their partial backups are removed) and exits 0.
 */
export function registerServer(program: Command, ctx: CliContext): void {
  program
    .command('server')
    .description('start the milvus-backup REST API server (the Go tool\'s /api/v1 routes)')
    .option('-p, --port <port>', 'port to listen on (default: $SERVER_PORT or 8080; 0 = any free port)')
    .option('--host <host>', 'address to listen on (default: every interface, as the Go tool)')
    .action(async (opts: { port?: string; host?: string }) => {
      const raw = opts.port || ctx.env.SERVER_PORT || '8080';
      const port = Number(raw);
      if (!/^\d+$/.test(raw) || port > 65535) throw usageError(`invalid port: ${raw}`);
      const { config } = loadCliConfig(ctx);
      const server = await startBackupServer({ config, host: opts.host ?? '', port, log: (l) => ctx.err(l) });
      ctx.err(`milvus-backup server listening on ${server.host || '*'}:${server.port} (routes under /api/v1)`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          ctx.err('stopping: cancelling running tasks');
          server.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
