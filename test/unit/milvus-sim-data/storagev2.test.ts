import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Env, ROOT, collection, rows, setup, waitFor } from './helpers';
import type { Row } from '../../milvus-sim/data/api';

let env: Env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const norm = (rs: Row[]) => rs.map((r) => [...r.entries()].sort((a, b) => a[0] - b[0])).sort((a, b) => (String(a[0][1]) < String(b[0][1]) ? -1 : 1));

describe('storage v2 column groups (2.6, storageV2ColumnGroups)', () => {
  it('writes group 0 (system + scalar fields) and one group per vector field; reads, restarts and imports them', async () => {
    const dir = await env.newDir();
    const dp = await env.open('2.6.9', { storageV2ColumnGroups: true }, dir);
    const c = collection('2.6.9', { shards: 1 });
    await dp.insert(c, undefined, rows(6));
    const fr = await dp.flush(c);
    const [s] = await dp.segments(c);
    assert.equal(s.segmentId, fr.segmentIds[0]);
    assert.equal(s.storageVersion, 2);
    assert.deepEqual(s.insertLogs.map((f) => f.fieldId).sort((a, b) => a - b), [0, 101]);
    assert.deepEqual(s.insertLogs.find((f) => f.fieldId === 0)!.childFields, [0, 1, 100, 102, 103, 104]);
    const keys = (await env.store.list(`${ROOT}/insert_log/${c.collectionId}/`)).map((o) => o.key);
    assert.equal(keys.length, 2);
    for (const k of keys) assert.match(k, new RegExp(`/${s.segmentId}/(0|101)/\\d+$`));
    const expected = await dp.query(c, { filter: '', outputFieldIds: [101, 102, 103, 104] });
    assert.equal(expected.length, 6);
    await dp.close();

    const dp2 = await env.open('2.6.9', { storageV2ColumnGroups: true }, dir);
    assert.deepEqual(norm(await dp2.query(c, { filter: '', outputFieldIds: [101, 102, 103, 104] })), norm(expected));
    const dst = collection('2.6.9', { shards: 1 });
    const prefix = `${ROOT}/insert_log/${c.collectionId}/${c.partitions[0].partitionId}/`;
    const j = await dp2.createImport(dst, '_default', [[prefix]], { backup: 'true', storage_version: '2' });
    const done = await waitFor(() => dp2.getImport(j.jobId), (x) => x!.state === 'Completed' || x!.state === 'Failed');
    assert.equal(done!.state, 'Completed', done!.reason);
    assert.deepEqual(norm(await dp2.query(dst, { filter: '', outputFieldIds: [101, 102, 103, 104] })), norm(expected));
    const [ds] = await dp2.segments(dst);
    assert.deepEqual(ds.insertLogs.map((f) => f.fieldId).sort((a, b) => a - b), [0, 101]);

    // a schema whose vector field id has no group fails as Milvus's v2 check does
    const other = collection('2.6.9', { shards: 1 });
    other.fields = other.fields.map((f) => (f.fieldId === 101 ? { ...f, fieldId: 107, name: 'embedding' } : f));
    const j2 = await dp2.createImport(other, '_default', [[prefix]], { backup: 'true', storage_version: '2' });
    const failed = await waitFor(() => dp2.getImport(j2.jobId), (x) => x!.state === 'Completed' || x!.state === 'Failed');
    assert.equal(failed!.state, 'Failed');
    assert.equal(failed!.reason, 'no binlog for field:embedding: importing data failed');
  });
});
