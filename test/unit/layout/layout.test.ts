/** The object layout (src/core/layout): one root normalization, keys of both sides, the local-provider rule. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StorageConfig } from '../../../src/core/config/types';
import {
  backupDeltaLogKey, backupDirPrefix, backupInsertLogKey, backupRootPrefix, cleanRoot, deltaLogDir, insertLogDir, locationOf,
  metaKey, milvusImportPath, milvusInsertLogDir, milvusLocalRoot, milvusRootDir, rootPrefix,
} from '../../../src/core/layout';
import type { ObjectStore } from '../../../src/core/storage/objectStore';

const storage = (over: Partial<StorageConfig>): StorageConfig => ({
  provider: 'minio', address: '127.0.0.1', port: 9000, region: '', useSSL: false, accountName: '', bucketName: 'bkt', rootPath: 'backup', localPath: '',
  auth: { type: 'static', accessKeyID: '', secretAccessKey: '', sessionToken: '', accountKey: '', credentialsFile: '', endpoint: '' },
  ...over,
});

describe('layout', () => {
  test('root paths are cleaned once: no leading "/", one trailing "/", top level for "", ".", "/"', () => {
    const cases: Array<[string, string]> = [
      ['backup', 'backup/'], ['/slashroot', 'slashroot/'], ['a/b/', 'a/b/'], ['//a//b//', 'a/b/'], ['./x', 'x/'], ['', ''], ['.', ''], ['/', ''],
    ];
    for (const [root, prefix] of cases) {
      assert.equal(rootPrefix(root), prefix, root);
      assert.equal(cleanRoot(root), prefix.replace(/\/$/, ''), root);
      assert.equal(backupRootPrefix(root), prefix, `backup side ${root}`);
      assert.equal(milvusRootDir(root), prefix, `Milvus side ${root}`);
    }
    assert.equal(backupDirPrefix('/slashroot', 'b1'), 'slashroot/b1/');
    assert.equal(backupDirPrefix('', 'b1'), 'b1/');
    assert.equal(metaKey(backupDirPrefix('r', 'b1'), 'backup_meta.json'), 'r/b1/meta/backup_meta.json');
    assert.equal(milvusInsertLogDir('/files', 1n, 2n, 3n), 'files/insert_log/1/2/3/');
  });

  test('the import dirs a restore names hold the keys create wrote', () => {
    const dir = backupDirPrefix('backup', 'b1');
    assert.ok(backupInsertLogKey(dir, 1n, 2n, 3n, 3n, 100n, 7n).startsWith(insertLogDir(dir, 1n, 2n, 3n)));
    assert.ok(backupDeltaLogKey(dir, 1n, 2n, 3n, 3n, 7n).startsWith(deltaLogDir(dir, 1n, 2n, 3n)));
    assert.equal(backupDeltaLogKey(dir, 1n, -1n, 0n, 9n, 7n), 'backup/b1/binlogs/delta_log/1/-1/9/7');
    assert.ok(backupDeltaLogKey(dir, 1n, -1n, 0n, 9n, 7n).startsWith(deltaLogDir(dir, 1n, -1n, 9n)), 'an L0 segment dir');
  });

  test('local provider: the store is rooted at rootPath, so the in-store root is empty; bucket defaults to "local"', () => {
    const store = {} as ObjectStore;
    assert.deepEqual(locationOf(store, storage({})), { store, bucket: 'bkt', rootPath: 'backup' });
    const local = locationOf(store, storage({ provider: 'local', bucketName: '', rootPath: '/data/backups' }));
    assert.deepEqual([local.bucket, local.rootPath, local.describe?.('b1/')], ['local', '', 'directory "/data/backups/b1/"']);
    assert.equal(milvusLocalRoot(storage({})), undefined);
    assert.equal(milvusLocalRoot(storage({ provider: 'local', rootPath: '/var/milvus' })), '/var/milvus');
    assert.equal(milvusImportPath('/var/milvus', 'b1/binlogs/insert_log/1/'), '/var/milvus/b1/binlogs/insert_log/1/');
    assert.equal(milvusImportPath(undefined, 'b1/binlogs/insert_log/1/'), 'b1/binlogs/insert_log/1/');
  });
});
