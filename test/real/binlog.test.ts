/**
 * The Milvus test server's binlog files against the real Milvus 2.3.5 (test/servers/realMilvus.ts), both on one
 * S3 server and bucket (Milvus under `files/`, the test servers under their own root paths):
 *  1. the binlogs real Milvus writes for rows of every 2.3 data type (and its delta logs) decode with our reader
 *     to the inserted values;
 *  2. our writer, given the same columns, produces files that decode alike, with the same descriptor;
 *  3. the upgrade path: the test server at v2.6.11 imports the real Milvus's segments (storage v0, deletes in
 *     delta logs) and answers the same rows as the real Milvus;
 *  4. and back: the real Milvus 2.3.5 imports (bulk insert, backup=true) what the test server at v2.3.5 wrote,
 *     rows equal.
 * Then a few behaviours checked on both servers the same way (root user, CreateIndex again, read order/offset).
 * Needs the S3 server to decode aws-chunked uploads (minio-go's streaming signature, s3rver patch "aws-chunked"):
 * without it every object real Milvus writes reads back with the chunk framing in front.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startS3Server, type S3ServerHandle } from '../servers/s3';
import { startRealMilvus, type RealMilvusHandle } from '../servers/realMilvus';
import { startMilvusSim } from '../milvus-sim/index';
import { ObjectStore } from '../milvus-sim/data/objectStore';
import { ColumnInfo, decodeDeltaLog, decodeInsertLog, encodeDeltaLog, encodeInsertLog } from '../milvus-sim/data/binlogCodec';
import { decodeBinlog } from '../milvus-sim/data/binlog/events';
import type { Value } from '../milvus-sim/data/api';
import { REAL_2_3_5_READS, readScenario } from '../unit/milvus-sim/readScenario';

const BUCKET = 'binlogs';
const N = 300;
const DELETED = [7n, 8n, 150n, 299n];

type Sim = Awaited<ReturnType<typeof startMilvusSim>>;
let s3: S3ServerHandle;
let store: ObjectStore;
let real: RealMilvusHandle;
let realClient: MilvusClient;
let dir: string;
const sims: Sim[] = [];
const clients: MilvusClient[] = [];

/** Every 2.3 data type but BinaryVector (one vector field per collection in 2.3), with a dynamic field. */
const FIELDS = [
  { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
  { name: 'b', data_type: DataType.Bool },
  { name: 'i8', data_type: DataType.Int8 },
  { name: 'i16', data_type: DataType.Int16 },
  { name: 'i32', data_type: DataType.Int32 },
  { name: 'f', data_type: DataType.Float },
  { name: 'd', data_type: DataType.Double },
  { name: 's', data_type: DataType.VarChar, max_length: 64 },
  { name: 'j', data_type: DataType.JSON },
  { name: 'ai', data_type: DataType.Array, element_type: DataType.Int64, max_capacity: 8 },
  { name: 'as', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 8, max_length: 16 },
  { name: 'ad', data_type: DataType.Array, element_type: DataType.Double, max_capacity: 8 },
  { name: 'ab', data_type: DataType.Array, element_type: DataType.Bool, max_capacity: 8 },
  { name: 'v', data_type: DataType.FloatVector, dim: 8 },
];
/** field id → [name, our data type, element type] (ids in schema order from 100, $meta next) */
const COLUMNS: Record<number, ColumnInfo & { name: string }> = {
  0: { fieldId: 0, name: '(row id)', dataType: 'Int64' },
  1: { fieldId: 1, name: '(timestamp)', dataType: 'Int64' },
  100: { fieldId: 100, name: 'pk', dataType: 'Int64' },
  101: { fieldId: 101, name: 'b', dataType: 'Bool' },
  102: { fieldId: 102, name: 'i8', dataType: 'Int8' },
  103: { fieldId: 103, name: 'i16', dataType: 'Int16' },
  104: { fieldId: 104, name: 'i32', dataType: 'Int32' },
  105: { fieldId: 105, name: 'f', dataType: 'Float' },
  106: { fieldId: 106, name: 'd', dataType: 'Double' },
  107: { fieldId: 107, name: 's', dataType: 'VarChar' },
  108: { fieldId: 108, name: 'j', dataType: 'JSON' },
  109: { fieldId: 109, name: 'ai', dataType: 'Array', elementType: 'Int64' },
  110: { fieldId: 110, name: 'as', dataType: 'Array', elementType: 'VarChar' },
  111: { fieldId: 111, name: 'ad', dataType: 'Array', elementType: 'Double' },
  112: { fieldId: 112, name: 'ab', dataType: 'Array', elementType: 'Bool' },
  113: { fieldId: 113, name: 'v', dataType: 'FloatVector', dim: 8 },
  114: { fieldId: 114, name: '$meta', dataType: 'JSON' },
};

function sdkRow(i: number) {
  return {
    pk: i,
    b: i % 3 === 0,
    i8: (i % 256) - 128,
    i16: i * 7 - 1000,
    i32: i * 100_003,
    f: i / 8,
    d: i * 1.000001 + 0.5,
    s: `row-${i}-ü`,
    j: { n: i, tags: ['x', i % 2 ? 'odd' : 'even'], nested: { ok: i % 2 === 0 } },
    ai: [i, -i, 2 ** 40 + i].slice(0, 1 + (i % 3)),
    as: i % 4 === 0 ? [] : [`a${i}`, 'b'],
    ad: [i + 0.25],
    ab: [i % 2 === 0, true],
    v: Array.from({ length: 8 }, (_, k) => (i * 8 + k) / 16),
    dyn: `d${i}`,
  };
}
const ROWS = Array.from({ length: N }, (_, i) => sdkRow(i));

/** The row as our reader yields it, by field id. */
function expected(i: number): Map<number, Value> {
  const r = ROWS[i];
  return new Map<number, Value>([
    [100, BigInt(r.pk)],
    [101, r.b],
    [102, r.i8],
    [103, r.i16],
    [104, r.i32],
    [105, Math.fround(r.f)],
    [106, r.d],
    [107, r.s],
    [108, JSON.stringify(r.j)],
    [109, r.ai.map(BigInt)],
    [110, r.as],
    [111, r.ad],
    [112, r.ab],
    [113, r.v.map(Math.fround)],
    [114, JSON.stringify({ dyn: r.dyn })],
  ]);
}

/** JSON fields compared as parsed JSON (Milvus re-serializes them). */
function comparable(fid: number, v: Value): unknown {
  if (fid === 108 || fid === 114) return JSON.parse(Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
  return v;
}

async function createCollection(client: MilvusClient, name: string) {
  const r = await client.createCollection({ collection_name: name, fields: FIELDS, enable_dynamic_field: true, shards_num: 1 } as never);
  assert.equal(r.error_code, 'Success', r.reason);
  const d = await client.describeCollection({ collection_name: name });
  assert.deepEqual(d.schema.fields.map((f) => [f.name, Number(f.fieldID)]), FIELDS.map((f, k) => [f.name, 100 + k]));
  return { collectionId: String(d.collectionID) };
}

async function fill(client: MilvusClient, name: string) {
  for (let i = 0; i < N; i += 100) {
    const r = await client.insert({ collection_name: name, data: ROWS.slice(i, i + 100) });
    assert.equal(r.status.error_code, 'Success', r.status.reason);
  }
  await client.flushSync({ collection_names: [name] });
  const del = await client.delete({ collection_name: name, filter: `pk in [${DELETED.join(',')}]` });
  assert.equal(del.status.error_code, 'Success', del.status.reason);
  await client.flushSync({ collection_names: [name] });
}

/** Index, load, and every row (pk order) as comparable values keyed by field name. */
async function allRows(client: MilvusClient, name: string) {
  await client.createIndex({ collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2', params: {} } as never);
  const l = await client.loadCollectionSync({ collection_name: name });
  assert.equal(l.error_code, 'Success', l.reason);
  const q = await client.query({
    collection_name: name,
    filter: 'pk >= 0',
    output_fields: [...FIELDS.map((f) => f.name), 'dyn'],
    limit: 16384,
    consistency_level: 'Strong',
  } as never);
  assert.equal(q.status.error_code, 'Success', q.status.reason);
  return q.data
    .map((r: Record<string, unknown>) => {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(r).sort()) o[k] = k === 'v' || k === 'f' ? (r[k] as number[] | number) : r[k];
      o.pk = String(r.pk);
      o.ai = (r.ai as Array<string | number>).map(String);
      return o;
    })
    .sort((a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.pk) - Number(b.pk));
}

async function waitImport(client: MilvusClient, task: number | string, timeoutMs = 180_000) {
  const t0 = Date.now();
  for (;;) {
    // task ids are int64 (beyond 2^53 on real Milvus): passed on as the SDK gave them, never through Number()
    const s = await client.getImportState({ task: task as number });
    if (s.state === 'ImportCompleted' || s.state === 'ImportFailed' || s.state === 'ImportFailedAndCleaned') return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`import ${task} still ${s.state}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function objectsUnder(prefix: string): Promise<string[]> {
  return (await store.list(prefix)).map((o) => o.key).sort();
}

before(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
  store = new ObjectStore({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey }, BUCKET);
  dir = await mkdtemp(join(tmpdir(), 'binlog-real-'));
  // No automatic compaction: the test lists a partition's segment dirs, which a compaction would duplicate.
  real = await startRealMilvus({ s3, bucket: BUCKET, name: 'binlog', set: ['dataCoord.enableCompaction=false'] });
  realClient = new MilvusClient({ address: real.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  clients.push(realClient);
});

after(async () => {
  for (const c of clients) await c.closeConnection().catch(() => undefined);
  for (const s of sims) await s.stop().catch(() => undefined);
  await real?.stop();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function sim(version: string, rootPath: string) {
  const s = await startMilvusSim({ version, dataDir: join(dir, rootPath), s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey }, bucket: BUCKET, rootPath });
  sims.push(s);
  const client = new MilvusClient({ address: s.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  clients.push(client);
  return client;
}

describe('binlogs: the Milvus test server against the real Milvus 2.3.5', () => {
  let realColl: { collectionId: string };
  let realRows: Array<Record<string, unknown>>;

  it('the binlogs real Milvus writes decode with our reader to the inserted rows, its delta logs to the deletes', async () => {
    realColl = await createCollection(realClient, 'from_real');
    await fill(realClient, 'from_real');
    const segs = (await realClient.getPersistentSegmentInfo({ collectionName: 'from_real' })).infos;
    assert.ok(segs.length >= 1);
    let seen = 0;
    let deletes: bigint[] = [];
    for (const seg of segs) {
      const base = `files/insert_log/${realColl.collectionId}/${seg.partitionID}/${seg.segmentID}/`;
      const keys = await objectsUnder(base);
      const byField = new Map<number, Value[]>();
      for (const k of keys) {
        const fid = Number(k.split('/').slice(-2, -1)[0]);
        const { header, values } = decodeInsertLog(await store.get(k));
        assert.equal(header.fieldId, fid);
        assert.equal(header.segmentId, String(seg.segmentID));
        assert.equal(header.dataType, COLUMNS[fid].dataType, `field ${fid}`);
        byField.set(fid, [...(byField.get(fid) ?? []), ...values]);
      }
      assert.deepEqual([...byField.keys()].sort((a, b) => a - b), Object.keys(COLUMNS).map(Number));
      const pks = byField.get(100)!;
      assert.equal(pks.length, Number(seg.num_rows));
      pks.forEach((pk, r) => {
        const want = expected(Number(pk));
        for (const [fid, v] of want) assert.deepStrictEqual(comparable(fid, byField.get(fid)![r]), comparable(fid, v), `pk ${pk} field ${COLUMNS[fid].name}`);
        assert.equal(typeof byField.get(0)![r], 'bigint');
        assert.ok((byField.get(1)![r] as bigint) > 2n ** 53n);
      });
      seen += pks.length;
    }
    assert.equal(seen, N);
    // Flush after a delete of flushed rows returns before the datanode writes the delta log (2.3 flushes the
    // delete buffer asynchronously): wait for it.
    for (const t0 = Date.now(); deletes.length < DELETED.length && Date.now() - t0 < 60_000; ) {
      await new Promise((r) => setTimeout(r, 500));
      deletes = [];
      for (const seg of segs)
        for (const k of await objectsUnder(`files/delta_log/${realColl.collectionId}/${seg.partitionID}/${seg.segmentID}/`))
          deletes = deletes.concat(decodeDeltaLog(await store.get(k)).entries.map((e) => e.pk as bigint));
    }
    assert.deepEqual(deletes.sort((a, b) => (a < b ? -1 : 1)), DELETED);
    realRows = await allRows(realClient, 'from_real');
    assert.equal(realRows.length, N - DELETED.length);
  });

  it('our writer, given the same columns, writes files that decode alike with the same descriptor', async () => {
    const keys = [...(await objectsUnder(`files/insert_log/${realColl.collectionId}/`)), ...(await objectsUnder(`files/delta_log/${realColl.collectionId}/`))];
    assert.ok(keys.length > Object.keys(COLUMNS).length);
    for (const k of keys) {
      const theirs = await store.get(k);
      const t = decodeBinlog(theirs);
      let ours: Buffer;
      if (k.includes('/delta_log/')) {
        const d = decodeDeltaLog(theirs);
        ours = encodeDeltaLog({ ...d.header, storageVersion: 0 }, d.entries);
        assert.deepStrictEqual(decodeDeltaLog(ours).entries, d.entries, k);
      } else {
        const d = decodeInsertLog(theirs);
        const col = COLUMNS[d.header.fieldId!];
        ours = encodeInsertLog({ ...d.header, storageVersion: 0, version: { major: 2, minor: 3 }, fieldId: col.fieldId, columns: [col] }, d.values);
        assert.deepStrictEqual(decodeInsertLog(ours).values, d.values, k);
      }
      const o = decodeBinlog(ours);
      // same ids, timestamps, payload type and extras (original_size); only the writer's own clock differs
      assert.deepStrictEqual({ ...o.descriptor, timestamp: 0n }, { ...t.descriptor, timestamp: 0n }, k);
      assert.deepStrictEqual(
        o.events.map((e) => [e.typeCode, e.startTs, e.endTs]),
        t.events.map((e) => [e.typeCode, e.startTs, e.endTs]),
        k,
      );
    }
  });

  it('upgrade path: the test server at v2.6.11 imports the real Milvus 2.3 segments, same rows', async () => {
    const client = await sim('v2.6.11', 'sim26');
    await createCollection(client, 'from_real');
    const part = (await realClient.showPartitions({ collection_name: 'from_real' })).partitionIDs[0];
    const files = [`files/insert_log/${realColl.collectionId}/${part}/`, `files/delta_log/${realColl.collectionId}/${part}/`];
    const imp = await client.bulkInsert({ collection_name: 'from_real', partition_name: '_default', files, options: [{ key: 'backup', value: 'true' }] });
    assert.equal(imp.status.error_code, 'Success', imp.status.reason);
    const st = await waitImport(client, imp.tasks[0]);
    assert.equal(st.state, 'ImportCompleted', JSON.stringify(st.infos));
    assert.deepStrictEqual(await allRows(client, 'from_real'), realRows);
  });

  it('and back: the real Milvus 2.3.5 imports what the test server at v2.3.5 wrote, same rows', async () => {
    const client = await sim('v2.3.5', 'sim23');
    const simColl = await createCollection(client, 'from_sim');
    await fill(client, 'from_sim');
    const part = (await client.showPartitions({ collection_name: 'from_sim' })).partitionIDs[0];
    const simKeys = await objectsUnder(`sim23/insert_log/${simColl.collectionId}/${part}/`);
    assert.ok(simKeys.length >= Object.keys(COLUMNS).length);
    for (const k of simKeys) assert.equal((await store.get(k)).readInt32LE(0), 0xfffabc, k);

    await createCollection(realClient, 'into_real');
    const files = [`sim23/insert_log/${simColl.collectionId}/${part}/`, `sim23/delta_log/${simColl.collectionId}/${part}/`];
    const imp = await realClient.bulkInsert({ collection_name: 'into_real', partition_name: '_default', files, options: [{ key: 'backup', value: 'true' }] });
    assert.equal(imp.status.error_code, 'Success', imp.status.reason);
    const st = await waitImport(realClient, imp.tasks[0]);
    assert.equal(st.state, 'ImportCompleted', JSON.stringify(st.infos));
    assert.deepStrictEqual(await allRows(realClient, 'into_real'), realRows);
  });
});

describe('behaviours the test server reproduces, as the real Milvus 2.3.5 shows them', () => {
  it('root is a user even with authorization off, and the test server has it too', async () => {
    assert.ok((await realClient.listUsers()).usernames.includes('root'));
    const client = await sim('v2.3.5', 'sim-rbac');
    assert.deepEqual((await client.listUsers()).usernames, ['root']);
  });
});

describe('CreateIndex of an index that exists: the test server answers as the real Milvus 2.3.5', () => {
  it('a no-op with the same key/value pairs in any order; a value written otherwise or another name refused', async () => {
    const simClient = await sim('v2.3.5', 'sim-index');
    const outcomes = async (client: MilvusClient) => {
      await client.createCollection({ collection_name: 'idx', fields: [{ name: 'pk', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }, { name: 's', data_type: DataType.VarChar, max_length: 8 }] } as never);
      const create = async (o: Record<string, unknown>) => (await client.createIndex({ collection_name: 'idx', field_name: 'v', ...o } as never)).error_code === 'Success';
      const out = [
        await create({ index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 128 } }),
        await create({ index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 128 } }), // unnamed again
        await create({ extra_params: { params: '{"nlist":128}', metric_type: 'L2', index_type: 'IVF_FLAT' } }), // pairs reordered
        await create({ extra_params: { index_type: 'IVF_FLAT', metric_type: 'L2', params: '{ "nlist" : 128 }' } }), // params JSON respaced
        await create({ index_name: 'v', index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 128 } }), // the default name spelled out
        await create({ index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 64 } }),
        await create({ index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: '128' } }),
        await create({ index_name: 'other', index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 128 } }),
      ];
      const d = await client.describeIndex({ collection_name: 'idx' } as never);
      return { out, names: d.index_descriptions.map((i) => i.index_name) };
    };
    const theirs = await outcomes(realClient);
    assert.deepEqual(theirs.out, [true, true, true, false, true, false, false, false]);
    assert.deepEqual(theirs.names, ['v'], 'an unnamed index is named after its field');
    assert.deepEqual(await outcomes(simClient), theirs);
  });
});

describe('reads: the test server answers as the real Milvus 2.3.5', () => {
  it('ShowPartitions(Loaded), query order and offset under a limit, search offset', async () => {
    const simClient = await sim('v2.3.5', 'sim-reads');
    const theirs = await readScenario(realClient);
    assert.deepEqual(theirs, REAL_2_3_5_READS, 'the answers test/unit/milvus-sim/reads.test.ts holds the test server to');
    assert.deepEqual(await readScenario(simClient), theirs);
  });
});
