/** The shared storage cases against the filesystem store, plus what only it has (bucket ignored, key escapes). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '../../../src/core/storage/localStore';
import { storeCases, type StoreFixture } from './storeCases';

describe('LocalStore', () => {
  let root: string;
  let fx: StoreFixture;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'localstore-'));
    const store = new LocalStore({ root, buckets: 'directory' });
    await store.createBucket('bucket-a');
    await store.createBucket('bucket-b');
    fx = { store, bucket: 'bucket-a', bucket2: 'bucket-b' };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  storeCases(() => fx, { s3: false });

  test('with buckets ignored (the Go tool\'s local type) keys are paths under the root', async () => {
    const store = new LocalStore({ root, buckets: 'ignore' });
    await store.put('whatever', 'backup/x/meta.json', Buffer.from('{}'), 2);
    assert.equal(await readFile(join(root, 'backup/x/meta.json'), 'utf8'), '{}');
    assert.equal((await store.stat('other', 'backup/x/meta.json'))?.size, 2);
  });

  test('keys may not climb out of the root', async () => {
    const store = new LocalStore({ root, buckets: 'directory' });
    await assert.rejects(store.put('bucket-a', '../../etc/x', Buffer.from('x'), 1), /must name a file inside/);
  });
});
