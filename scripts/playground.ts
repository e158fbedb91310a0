/**
 * `npm start`: the playground. Builds the extension, starts the embedded S3 server and two Milvus test servers
 * (milvus_A with sample collections, milvus_B empty), writes a workspace holding the seed document's two
 * backup.yaml files, and starts the VS Code server (test/harness, installed on first use) with the extension
 * loaded as the development extension, run as a user runs VS Code (no test driver). Prints the URL to open and runs until Ctrl-C, then stops everything
 * and removes its temp dirs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '../test/harness/cleanup';
import { repoRoot } from '../test/harness/paths';
import { AS_USERS_RUN_IT, startServer } from '../test/harness/server';
import { ensureHarness } from '../test/harness/setup';
import { buildExtension } from '../test/harness/build';
import { watchDir } from '../test/harness/watchdog';
import { startMilvusSim } from '../test/milvus-sim/index';
import { startS3Server } from '../test/servers/s3';
import { fillSampleData, SAMPLE_COLLECTIONS, writeWorkspace } from './playground/sample';

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the playground…');
    await cleanup.run();
    console.log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    await ensureHarness();
    console.log('building the extension…');
    buildExtension();
    const dir = cleanup.tempDir('playground');
    const s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
    // The servers run in this process and die with it; their temp dirs, the VS Code server and the playground
    // dir are left to test/harness/watchdog.ts should this process be SIGKILLed.
    const s3dir = watchDir(s3.dir);
    cleanup.add('stop S3', async () => {
      await s3.stop();
      s3dir.forget();
    });
    const s3conf = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey };
    const version = 'v2.5.14';
    const milvusA = await startMilvusSim({ version, dataDir: join(dir, 'milvus-a'), s3: s3conf, bucket: 'bucket-a', rootPath: 'files' });
    cleanup.add('stop milvus_A', () => milvusA.stop());
    const milvusB = await startMilvusSim({ version, dataDir: join(dir, 'milvus-b'), s3: s3conf, bucket: 'bucket-b', rootPath: 'files' });
    cleanup.add('stop milvus_B', () => milvusB.stop());
    console.log('filling milvus_A with sample collections…');
    await fillSampleData(milvusA.address);

    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    const common = { s3Endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, milvusRoot: 'files', backupBucket: 'bucket-b', backupRoot: 'backup' };
    await writeWorkspace(workspace, [
      { ...common, name: 'milvus_A', milvusAddress: milvusA.address, managementUrl: milvusA.managementUrl, milvusBucket: 'bucket-a' },
      { ...common, name: 'milvus_B', milvusAddress: milvusB.address, managementUrl: milvusB.managementUrl, milvusBucket: 'bucket-b' },
    ]);

    // VS Code as users run it: modal dialogs (Delete Backup's confirmation) show, Restricted Mode can be tried
    // (the workbench asks whether to trust the folder), and no toasts for ports that are not ours.
    const server = await startServer(cleanup, AS_USERS_RUN_IT);
    const payload = [['extensionDevelopmentPath', server.remote(repoRoot)]];
    const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log('');
    console.log(`S3 server      ${s3.endpoint} (buckets bucket-a, bucket-b; access key ${s3.accessKey})`);
    console.log(`milvus_A       ${milvusA.address} (Milvus ${version} test server): ${SAMPLE_COLLECTIONS.map((c) => `${c.db}.${c.name}`).join(', ')}`);
    console.log(`milvus_B       ${milvusB.address} (empty)`);
    console.log(`workspace      ${workspace} (milvus_A/backup.yaml, milvus_B/backup.yaml; backups go to bucket-b/backup)`);
    console.log('');
    console.log(`Open ${url}`);
    console.log('then the Milvus Backup icon in the activity bar. Ctrl-C stops everything.');
    await new Promise(() => undefined);
  } catch (e) {
    console.error(`playground failed: ${e instanceof Error ? e.message : String(e)}`);
    await stop(1);
  }
}

void main();
