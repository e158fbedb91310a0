/**
 * A small in-process stand-in for the Milvus gateway, for unit tests of the backup engine's orchestration
 * (the Milvus test server covers the protocol). It keeps collections with raw proto-shaped describe answers
 * and writes each segment's binlogs into a real ObjectStore under Milvus's key layout, so discovery, copy,
 * verification and clean-up run against real objects.
 */
import type { MilvusGateway, PartitionRef, Raw, RestSegmentInfo, SegmentInfoRow } from '../../../src/core/milvus/gateway';
import { featuresOf, parseVersion } from '../../../src/core/milvus/version';
import type { ObjectStore } from '../../../src/core/storage/objectStore';

export interface FakeSegment {
  id: bigint;
  partitionId: bigint;
  level: 'L0' | 'L1';
  rows: number;
  /** fieldId → list of [logId, bytes] */
  insert: Record<string, Array<[bigint, number]>>;
  delta: Array<[bigint, number]>;
}

export interface FakeCollection {
  db: string;
  name: string;
  id: bigint;
  partitions: Array<{ id: bigint; name: string }>;
  segments: FakeSegment[];
  schema?: Raw;
  indexes?: Raw[];
}

export class FakeMilvus implements MilvusGateway {
  readonly version;
  readonly features;
  readonly address = 'fake:19530';
  calls: string[] = [];
  gcLog: string[] = [];
  ticket = 0;
  /** when set, REST describeSegments fails */
  restDown = false;
  /** called at the start of persistentSegments (tests inject delays/failures) */
  onSegments?: (db: string, name: string) => Promise<void> | void;
  rbac: Raw = { users: [{ user: 'u1', password: 'p', roles: [{ name: 'r1' }] }], roles: [{ name: 'r1' }], grants: [], privilege_groups: [] };

  constructor(
    version: string,
    readonly store: ObjectStore,
    readonly bucket: string,
    readonly root: string,
    readonly databases: string[] = ['default'],
    readonly collections: FakeCollection[] = [],
  ) {
    this.version = parseVersion(version);
    this.features = featuresOf(this.version, true);
  }

  /** Writes every segment's binlogs (deterministic bytes) into the store. */
  async materialize(): Promise<void> {
    for (const c of this.collections) {
      for (const s of c.segments) {
        for (const [field, logs] of Object.entries(s.insert)) {
          for (const [log, size] of logs) {
            const key = `${this.root}/insert_log/${c.id}/${s.partitionId}/${s.id}/${field}/${log}`;
            await this.store.put(this.bucket, key, Buffer.alloc(size, Number(log % 251n)), size);
          }
        }
        for (const [log, size] of s.delta) {
          const key = `${this.root}/delta_log/${c.id}/${s.partitionId}/${s.id}/${log}`;
          await this.store.put(this.bucket, key, Buffer.alloc(size, 7), size);
        }
      }
    }
  }

  private coll(db: string, name: string): FakeCollection {
    const c = this.collections.find((x) => x.db === db && x.name === name);
    if (!c) throw new Error(`collection ${db}.${name} not found`);
    return c;
  }

  async listDatabases() { this.calls.push('ListDatabases'); return this.databases; }
  async describeDatabase(db: string) { this.calls.push(`DescribeDatabase ${db}`); return { dbId: String(this.databases.indexOf(db) + 1), properties: [{ key: 'k', value: db }] }; }
  async createDatabase() { throw new Error('not in fake'); }
  async listCollections(db: string) { return this.collections.filter((c) => c.db === db).map((c) => c.name); }
  async hasCollection(db: string, name: string) { return this.collections.some((c) => c.db === db && c.name === name); }
  async describeCollection(db: string, name: string): Promise<Raw> {
    const c = this.coll(db, name);
    return {
      collectionID: String(c.id), db_name: db, collection_name: name, shards_num: 1, consistency_level: 'Bounded',
      schema: c.schema ?? {
        name, description: '', enable_dynamic_field: true,
        fields: [
          { fieldID: '100', name: 'id', is_primary_key: true, data_type: 'Int64', type_params: [], autoID: false },
          { fieldID: '101', name: 'v', data_type: 'FloatVector', type_params: [{ key: 'dim', value: '4' }] },
          { fieldID: '102', name: 'n', data_type: 'Int32', nullable: true, default_value: { int_data: 5, data: 'int_data' } },
        ],
        functions: [], properties: [],
      },
      properties: [{ key: 'collection.ttl.seconds', value: '0' }],
      virtual_channel_names: [`${name}-v0`], physical_channel_names: ['dml_0'], aliases: [], db_id: '1', created_timestamp: '455000000000000001',
    };
  }
  async describeIndex(db: string, name: string) { return this.coll(db, name).indexes ?? []; }
  async loadingProgress() { return 0; }
  async showPartitions(db: string, name: string): Promise<PartitionRef[]> { return this.coll(db, name).partitions.map((p) => ({ id: String(p.id), name: p.name })); }
  /** rows still in growing segments, per `db.name` (not in any persistent segment) */
  growing: Record<string, number> = {};
  async collectionRowCount(db: string, name: string) {
    return this.coll(db, name).segments.filter((s) => s.level !== 'L0').reduce((a, s) => a + s.rows, 0) + (this.growing[`${db}.${name}`] ?? 0);
  }
  async flush(db: string, name: string) {
    this.calls.push(`Flush ${db}.${name}`);
    return {
      segmentIds: this.coll(db, name).segments.map((s) => String(s.id)), flushedSegmentIds: [], flushTs: '456000000000000000', sealTimeSec: '1700000000',
      channelCheckpoints: { [`${name}-v0`]: { channel_name: `${name}-v0`, msgID: Buffer.from([1, 2]), msgGroup: '', timestamp: '456000000000000123' } },
      raw: {},
    };
  }
  async getFlushState() { return true; }
  async flushAll(): Promise<Raw> {
    this.calls.push('FlushAll');
    return { flush_all_ts: '0', flush_all_msgs: { dml_0: { id: { id: 'abc' }, payload: Buffer.from([]), properties: { _tt: 'zz' } } }, cluster_info: { cchannel: 'ctrl', pchannels: ['dml_0'] } };
  }
  async getFlushAllState() { return true; }
  async persistentSegments(db: string, name: string): Promise<SegmentInfoRow[]> {
    this.calls.push(`GetPersistentSegmentInfo ${db}.${name}`);
    await this.onSegments?.(db, name);
    const c = this.coll(db, name);
    return c.segments.map((s) => ({
      segmentId: String(s.id), collectionId: String(c.id), partitionId: String(s.partitionId), numRows: s.rows, level: s.level,
      state: 'Flushed', storageVersion: 0, isSorted: false,
    }));
  }
  async describeSegments(db: string, collectionId: string, ids: string[]): Promise<RestSegmentInfo[]> {
    this.calls.push(`REST describe ${collectionId}`);
    if (this.restDown) throw new Error('HTTP 404');
    const c = this.collections.find((x) => String(x.id) === collectionId)!;
    return c.segments.filter((s) => ids.includes(String(s.id))).map((s) => ({
      segmentId: String(s.id), collectionId, partitionId: String(s.partitionId), vChannel: `${c.name}-v0`, level: s.level, numRows: s.rows,
      state: 'Flushed', isSorted: true,
      insertLogs: Object.entries(s.insert).map(([f, logs]) => ({ fieldId: f, logIds: logs.map(([l]) => String(l)) })),
      deltaLogs: s.delta.length ? [{ fieldId: '0', logIds: s.delta.map(([l]) => String(l)) }] : [],
    }));
  }
  async replicateMessage(channel: string) { this.calls.push(`ReplicateMessage ${channel}`); return 'cG9zaXRpb24='; }
  async backupRBAC() { return this.rbac; }
  async restoreRBAC() {}
  async createCollection() {}
  async dropCollection() {}
  async addCollectionField() {}
  async alterCollectionProperties() {}
  async createIndex() {}
  async dropIndex() {}
  async hasPartition() { return true; }
  async createPartition() {}
  async importFiles(): Promise<string> { throw new Error('no'); }
  async getImportState(): Promise<never> { throw new Error('no'); }
  async restImportCreate(): Promise<string> { throw new Error('no'); }
  async restImportDescribe(): Promise<never> { throw new Error('no'); }
  async pauseGc(seconds: number, collectionId?: string) {
    this.gcLog.push(`pause ${collectionId ?? 'cluster'} ${seconds}`);
    return collectionId ? { ticket: `t${++this.ticket}` } : {};
  }
  async resumeGc(ticket?: string) { this.gcLog.push(`resume ${ticket ?? 'cluster'}`); }
  async close() {}
}
