/**
 * Starts one simulated Milvus (test/milvus-sim) from the command line:
 *   npm run milvus-sim -- --port 19530 --management-port 9091 --s3-endpoint 127.0.0.1:9000 --access-key AK
 *     --secret-key SK --bucket a-bucket --root-path files --version v2.5.14 --data-dir ./sim-a [--user root --password Milvus]
 * Prints one line `READY {"address":…,"management":…,"version":…}` once it serves, and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startMilvusSim } from '../test/milvus-sim/index';
import { stopOnSignal } from './stopOnSignal';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '19530' },
      'management-port': { type: 'string', default: '9091' },
      's3-endpoint': { type: 'string' },
      'access-key': { type: 'string' },
      'secret-key': { type: 'string' },
      'use-ssl': { type: 'boolean', default: false },
      bucket: { type: 'string' },
      'root-path': { type: 'string', default: 'files' },
      version: { type: 'string', default: 'v2.5.14' },
      'data-dir': { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'max-rows-per-segment': { type: 'string' },
      'gc-interval-ms': { type: 'string' },
    },
    strict: true,
  });
  if (!values['data-dir']) throw new Error('--data-dir is required');
  if (!values['s3-endpoint'] || !values.bucket) throw new Error('--s3-endpoint and --bucket are required');
  const sim = await startMilvusSim({
    port: Number(values.port),
    managementPort: Number(values['management-port']),
    s3: {
      endpoint: values['s3-endpoint'],
      accessKey: values['access-key'] ?? '',
      secretKey: values['secret-key'] ?? '',
      useSSL: values['use-ssl'],
    },
    bucket: values.bucket,
    rootPath: values['root-path'],
    version: values.version!,
    dataDir: values['data-dir'],
    user: values.user,
    password: values.password,
    dataPlaneOptions: {
      ...(values['max-rows-per-segment'] ? { maxRowsPerSegment: Number(values['max-rows-per-segment']) } : {}),
      ...(values['gc-interval-ms'] ? { gcIntervalMs: Number(values['gc-interval-ms']) } : {}),
    },
  });
  process.stdout.write(`READY ${JSON.stringify({ address: sim.address, management: sim.managementUrl, version: sim.version })}\n`);
  stopOnSignal('milvus-sim', () => sim.stop());
}

main().catch((e: unknown) => {
  console.error(`milvus-sim: ${(e as Error).message}`);
  process.exit(1);
});
