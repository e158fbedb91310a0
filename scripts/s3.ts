/**
 * `npm run s3 -- [--port P] [--dir DIR] [--buckets a,b]`: runs the embedded S3 server (patched s3rver) on
 * 127.0.0.1 until SIGINT/SIGTERM. Prints exactly one line on stdout once it serves:
 *   READY {"endpoint":"127.0.0.1:P","accessKey":"…","secretKey":"…"}
 * Without --dir the data lives in a temp dir that is removed on exit; with --dir it is kept.
 */
import { parseArgs } from 'node:util';
import { startS3Server } from '../test/servers/s3';
import { stopOnSignal } from './stopOnSignal';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      dir: { type: 'string' },
      buckets: { type: 'string', default: '' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${values.port}"`);
  const buckets = (values.buckets ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const server = await startS3Server({ port, dir: values.dir, buckets });
  const { endpoint, accessKey, secretKey } = server;
  process.stdout.write(`READY ${JSON.stringify({ endpoint, accessKey, secretKey })}\n`);
  stopOnSignal('s3', () => server.stop());
}

main().catch((e) => {
  process.stderr.write(`s3: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
