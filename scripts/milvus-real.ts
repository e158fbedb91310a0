/**
 * Starts one real Milvus (the PyPI package `milvus`, embedded Milvus 2.3.5; installed on first use, see
 * test/servers/realMilvus.ts) from the command line, with the flags of `npm run milvus-sim` that apply:
 *   npm run milvus-real -- --port 19530 --management-port 9091 --s3-endpoint 127.0.0.1:9000 --access-key AK
 *     --secret-key SK --bucket a-bucket --root-path files --data-dir ./real-a [--user root --password Milvus]
 * Prints one line `READY {"address":…,"management":…,"version":…}` once it serves, and runs until SIGINT/SIGTERM
 * (or the end of a piped stdin).
 */
import { parseArgs } from 'node:util';
import { startRealMilvus } from '../test/servers/realMilvus';
import { stopOnSignal } from './stopOnSignal';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'management-port': { type: 'string' },
      's3-endpoint': { type: 'string' },
      'access-key': { type: 'string' },
      'secret-key': { type: 'string' },
      'use-ssl': { type: 'boolean', default: false },
      bucket: { type: 'string' },
      'root-path': { type: 'string', default: 'files' },
      'data-dir': { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
  });
  if (!values['s3-endpoint'] || !values.bucket) throw new Error('--s3-endpoint and --bucket are required');
  const num = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${flag} must be a port number, got "${v}"`);
    return n;
  };
  const m = await startRealMilvus({
    port: num(values.port, '--port'),
    managementPort: num(values['management-port'], '--management-port'),
    s3: {
      endpoint: values['s3-endpoint'],
      accessKey: values['access-key'] ?? '',
      secretKey: values['secret-key'] ?? '',
      useSSL: values['use-ssl'],
    },
    bucket: values.bucket,
    rootPath: values['root-path'],
    dataDir: values['data-dir'],
    user: values.user,
    password: values.password,
    name: 'cli',
  });
  process.stdout.write(`READY ${JSON.stringify({ address: m.address, management: m.managementUrl, version: m.version })}\n`);
  stopOnSignal('milvus-real', () => m.stop());
}

main().catch((e: unknown) => {
  console.error(`milvus-real: ${(e as Error).message}`);
  process.exit(1);
});
