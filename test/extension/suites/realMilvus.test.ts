import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { backupYaml } from '../../../scripts/playground/sample';
import { activate } from '../helpers';
import { realMilvusEnv, serviceEnv } from '../services';
import { env, treeNav } from '../treeNav';

// The explorer against a REAL Milvus (embedded Milvus 2.3.5, test/servers/realMilvus.ts) started by the
// launcher: the tree shows what that server says (databases, collections with row counts and load state,
// partitions), and Back Up Collection backs one collection up into the embedded S3 server.

type Testing = NonNullable<Awaited<ReturnType<typeof activate>>['testing']>;
let t: Testing;
const { children, item, label, path, withAnswers } = treeNav(() => t);
const STORAGE = 'backup-bucket/real-backup';

describe('explorer against a real Milvus 2.3.5', function () {
  this.timeout(180_000);

  before(async () => {
    t = (await activate()).testing!;
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const text = backupYaml({
      name: 'milvus_real',
      milvusAddress: env(realMilvusEnv.address),
      s3Endpoint: env(serviceEnv.s3Endpoint), accessKey: env(serviceEnv.s3AccessKey), secretKey: env(serviceEnv.s3SecretKey),
      milvusBucket: env(serviceEnv.milvusBucket), milvusRoot: 'files-real',
      backupBucket: env(serviceEnv.backupBucket), backupRoot: 'real-backup',
      managementUrl: env(realMilvusEnv.managementUrl),
    });
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'milvus_real', 'backup.yaml'), new TextEncoder().encode(text));
    await t.registry.reload();
  });

  after(async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'milvus_real'), { recursive: true });
    await t.registry.reload();
  });

  it('lists the real instance: its database, collections with row counts and load state, partitions', async () => {
    assert.equal(env(realMilvusEnv.version), 'v2.3.5-lite', 'GetVersion of the real server');
    assert.deepEqual((await children(await path('milvus_real'))).map(label), ['default']);
    const colls = await children(await path('milvus_real', 'default'));
    assert.deepEqual(colls.map(label), ['real_coll', 'real_empty']);
    assert.match(String(item(colls[0]!).description), /^300 rows · loaded · rows in a real Milvus$/);
    assert.match(String(item(colls[1]!).description), /^0 rows · not loaded/);
    const kids = await children(await path('milvus_real', 'default', 'real_coll'));
    const partitions = kids.filter((k) => item(k).contextValue === 'milvus.partition').map(label);
    assert.deepEqual(partitions, ['_default', 'recent']);
    assert.ok(kids.some((k) => item(k).contextValue === 'milvus.index'), 'the index is listed');
  });

  it('Back Up Collection backs the real collection up; the backup lists under its storage with 300 rows', async () => {
    const coll = await path('milvus_real', 'default', 'real_coll');
    const summary = await withAnswers(
      [{ kind: 'inputBox', value: 'real_ext_backup' }],
      () => vscode.commands.executeCommand<{ name: string; collections: unknown[] }>('milvusBackup.backupCollection', coll),
    );
    assert.equal(summary.name, 'real_ext_backup');
    const backup = await path(STORAGE, 'real_ext_backup');
    assert.equal(item(backup).contextValue, 'backup.complete');
    assert.match(String(item(backup).description), /Milvus v2\.3\.5-lite$/);
    const inside = await children(backup);
    assert.deepEqual(inside.map(label), ['default.real_coll']);
    assert.match(String(item(inside[0]!).description), /^300 rows/);
  });
});
