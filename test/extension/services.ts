// The services the extension-host suites need, started by the launcher before the VS Code server (see
// test/harness/services.ts). Add one by appending a hook; its env reaches the suites as process.env, e.g.
//
//   {
//     name: 's3',
//     async start({ tmpDir }) {
//       const s3 = await startS3(tmpDir);            // e.g. from test/servers/
//       return { env: { MILVUS_BACKUP_TEST_S3: s3.endpoint }, stop: () => s3.close() };
//     },
//   },
//
// A suite whose service is missing (run with --no-services) should fail with a message naming the env var.
import type { ServiceHook } from '../harness/services';

export const services: ServiceHook[] = [];
