/**
 * MilvusGateway over @zilliz/milvus2-sdk-node. The SDK gives us the channel pool, auth metadata, the Connect
 * identifier, TLS and its retry interceptor; every call goes through its `promisify(channelPool, Method, …)`
 * so we get Milvus's raw proto responses (the SDK's formatted ones drop or reshape fields the backup meta
 * must keep).
 *
 * The database travels in the `dbname` metadata header, which the SDK sets per client: so there is one
 * client per database (created on first use), and every request also carries `db_name`.
 *
 * The SDK (~5 MB bundled) is loaded on the first connect, never at extension activation.
 */
import { backoffMs, maxAttempts, retryKind } from './callRetry';
import { UserError } from '../errors';
import { sleep, throwIfAborted } from '../jobs/abort';
import type {
  CreateCollectionArgs, FlushOutcome, GatewayOptions, ImportProgress, KeyValue, MilvusGateway, PartitionRef, Raw,
  RestSegmentInfo, SegmentInfoRow,
} from './gateway';
import { explainGrpcError } from './grpcError';
import { ManagementClient } from './management';
import { MilvusRest } from './rest';
import { checkStatus, MilvusError } from './status';
import { featuresOf, parseVersion, type FeatureFlags, type ServerVersion } from './version';

type Sdk = typeof import('@zilliz/milvus2-sdk-node');
type Client = InstanceType<Sdk['MilvusClient']>;

const DEFAULT_DB = 'default';

export async function connectMilvus(o: GatewayOptions, signal?: AbortSignal): Promise<MilvusGateway> {
  const sdk: Sdk = await import('@zilliz/milvus2-sdk-node');
  throwIfAborted(signal);
  const gw = new SdkGateway(sdk, o);
  await gw.init();
  return gw;
}

class SdkGateway implements MilvusGateway {
  version!: ServerVersion;
  features!: FeatureFlags;
  readonly address: string;
  private readonly clients = new Map<string, Promise<Client>>();
  private readonly rest: MilvusRest;
  private readonly mgmt?: ManagementClient;
  private readonly timeoutMs: number;

  constructor(
    private readonly sdk: Sdk,
    private readonly o: GatewayOptions,
  ) {
    this.address = o.address;
    this.timeoutMs = o.timeoutMs ?? 60_000;
    const scheme = o.tls && o.tls.mode !== 'disabled' ? 'https' : 'http';
    this.rest = new MilvusRest(o.restEndpoint || `${scheme}://${o.address}`, { user: o.user, password: o.password });
    if (o.managementEndpoint) this.mgmt = new ManagementClient(o.managementEndpoint);
  }

  async init(): Promise<void> {
    const client = await this.client(DEFAULT_DB);
    const info = (client as unknown as { serverInfo?: { build_tags?: string } }).serverInfo;
    let raw = info?.build_tags ?? '';
    if (!parseVersion(raw).parsed) {
      const v = await this.raw(DEFAULT_DB, 'GetVersion', {}).catch(() => undefined);
      if (v?.version) raw = String(v.version);
    }
    this.version = parseVersion(raw || 'unknown');
    let multiDatabase = true;
    try {
      await this.call(DEFAULT_DB, 'ListDatabases', {});
    } catch (e) {
      if (e instanceof MilvusError && e.isUnimplemented) multiDatabase = false;
      else throw e;
    }
    this.features = featuresOf(this.version, multiDatabase);
  }

  private client(db: string): Promise<Client> {
    let p = this.clients.get(db);
    if (!p) {
      p = (async () => {
        const tls = this.o.tls;
        const c = new this.sdk.MilvusClient({
          address: this.o.address,
          username: this.o.user || undefined,
          password: this.o.password || undefined,
          database: db,
          timeout: this.timeoutMs,
          logLevel: 'error',
          ssl: tls ? tls.mode !== 'disabled' : false,
          tls:
            tls && tls.mode !== 'disabled'
              ? {
                  rootCertPath: tls.caCertPath || undefined,
                  serverName: tls.serverName || undefined,
                  privateKeyPath: tls.mode === 'mutual' ? tls.keyPath : undefined,
                  certChainPath: tls.mode === 'mutual' ? tls.certPath : undefined,
                }
              : undefined,
        });
        try {
          await c.connectPromise;
        } catch (e) {
          await c.closeConnection().catch(() => {});
          throw explainGrpcError(e, this.o.address, 'connect')
            ?? new UserError(`cannot connect to Milvus at ${this.o.address}: ${(e as Error).message}`, 'milvus-unreachable', 1, { cause: e });
        }
        return c;
      })();
      this.clients.set(db, p);
      p.catch(() => this.clients.delete(db));
    }
    return p;
  }

  /** A raw call without status checking. */
  private async raw(db: string, method: string, params: Raw): Promise<Raw> {
    const c = await this.client(db);
    const pool = (c as unknown as { channelPool: unknown }).channelPool;
    try {
      return (await this.sdk.promisify(pool as never, method, { db_name: db, ...params }, this.timeoutMs)) as Raw;
    } catch (e) {
      throw explainGrpcError(e, this.o.address, method) ?? e;
    }
  }

  /**
   * A raw call whose status must be Success. Rate limits and transient failures are retried with backoff, a
   * bounded number of times and told to `onRetry` (callRetry.ts; Go: an AIMD limiter, unbounded and silent).
   */
  private async call(db: string, method: string, params: Raw, signal?: AbortSignal): Promise<Raw> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      try {
        let resp: Raw;
        try {
          resp = await this.raw(db, method, params);
        } catch (e) {
          const code = (e as { code?: number }).code;
          if (code === 12) throw new MilvusError(method, 'Unimplemented', -1, `${method} is not implemented by Milvus ${this.version?.raw ?? ''}`.trim());
          throw e;
        }
        return checkStatus(method, resp);
      } catch (e) {
        const kind = retryKind(method, e);
        if (!kind || attempt >= maxAttempts(kind)) throw e;
        const delay = backoffMs(attempt);
        this.o.onRetry?.(`Milvus ${method}: ${(e as Error).message}; retrying in ${delay} ms (attempt ${attempt + 1}/${maxAttempts(kind)})`);
        await sleep(delay, signal);
      }
    }
  }

  async listDatabases(): Promise<string[]> {
    if (!this.features.multiDatabase) return [DEFAULT_DB];
    const r = await this.call(DEFAULT_DB, 'ListDatabases', {});
    return (r.db_names ?? []) as string[];
  }

  async describeDatabase(db: string): Promise<{ dbId: string; properties: KeyValue[] }> {
    const r = await this.call(db, 'DescribeDatabase', { db_name: db });
    return { dbId: String(r.dbID ?? r.db_id ?? '0'), properties: (r.properties ?? []) as KeyValue[] };
  }

  async createDatabase(db: string): Promise<void> {
    await this.call(DEFAULT_DB, 'CreateDatabase', { db_name: db });
  }

  async listCollections(db: string): Promise<string[]> {
    const r = await this.call(db, 'ShowCollections', { type: 'All' });
    return (r.collection_names ?? []) as string[];
  }

  async hasCollection(db: string, name: string): Promise<boolean> {
    const r = await this.call(db, 'HasCollection', { collection_name: name });
    return Boolean(r.value);
  }

  async describeCollection(db: string, name: string): Promise<Raw> {
    return this.call(db, 'DescribeCollection', { collection_name: name });
  }

  async describeIndex(db: string, name: string): Promise<Raw[]> {
    try {
      const r = await this.call(db, 'DescribeIndex', { collection_name: name, index_name: '' });
      return (r.index_descriptions ?? []) as Raw[];
    } catch (e) {
      // Milvus answers IndexNotExist / "index not found" for a collection without indexes.
      if (e instanceof MilvusError && (e.errorCode === 'IndexNotExist' || /index not (found|exist)/i.test(e.reason) || e.code === 700)) return [];
      throw e;
    }
  }

  async loadingProgress(db: string, name: string, partitions?: string[]): Promise<number> {
    try {
      const r = await this.call(db, 'GetLoadingProgress', { collection_name: name, partition_names: partitions ?? [] });
      return Number(r.progress ?? 0);
    } catch (e) {
      // A released collection reports "collection not loaded" on some versions: that is progress 0.
      if (e instanceof MilvusError && /not loaded/i.test(e.reason)) return 0;
      throw e;
    }
  }

  async showPartitions(db: string, name: string): Promise<PartitionRef[]> {
    const r = await this.call(db, 'ShowPartitions', { collection_name: name, type: 'All' });
    const names = (r.partition_names ?? []) as string[];
    const ids = (r.partitionIDs ?? []) as string[];
    return names.map((n, i) => ({ name: n, id: String(ids[i]) }));
  }

  async collectionRowCount(db: string, name: string): Promise<number> {
    const r = await this.call(db, 'GetCollectionStatistics', { collection_name: name });
    const kv = ((r.stats ?? []) as KeyValue[]).find((s) => s.key === 'row_count');
    return Number(kv?.value ?? 0);
  }

  async flush(db: string, name: string, signal?: AbortSignal): Promise<FlushOutcome> {
    const r = await this.call(db, 'Flush', { collection_names: [name] }, signal);
    const ids = (r.coll_segIDs?.[name]?.data ?? []) as string[];
    const flushed = (r.flush_coll_segIDs?.[name]?.data ?? []) as string[];
    return {
      segmentIds: ids.map(String),
      flushedSegmentIds: flushed.map(String),
      flushTs: String(r.coll_flush_ts?.[name] ?? '0'),
      sealTimeSec: String(r.coll_seal_times?.[name] ?? '0'),
      channelCheckpoints: (r.channel_cps ?? {}) as Record<string, Raw>,
      raw: r,
    };
  }

  async getFlushState(db: string, name: string, segmentIds: string[], flushTs: string): Promise<boolean> {
    const r = await this.call(db, 'GetFlushState', { segmentIDs: segmentIds, flush_ts: flushTs, collection_name: name, db_name: db });
    return Boolean(r.flushed);
  }

  async flushAll(signal?: AbortSignal): Promise<Raw> {
    return this.call(DEFAULT_DB, 'FlushAll', {}, signal);
  }

  async getFlushAllState(flushAllResponse: Raw): Promise<boolean> {
    // Go sends only flush_all_tss, derived from the `_tt` property of each pchannel's flush message; older
    // servers read flush_all_ts, so both go out.
    const r = await this.call(DEFAULT_DB, 'GetFlushAllState', {
      flush_all_ts: flushAllResponse.flush_all_ts,
      flush_all_tss: flushAllTss(flushAllResponse),
    });
    return Boolean(r.flushed);
  }

  async persistentSegments(db: string, name: string): Promise<SegmentInfoRow[]> {
    const r = await this.call(db, 'GetPersistentSegmentInfo', { collectionName: name, dbName: db });
    return ((r.infos ?? []) as Raw[]).map((s) => ({
      segmentId: String(s.segmentID),
      collectionId: String(s.collectionID),
      partitionId: String(s.partitionID),
      numRows: Number(s.num_rows ?? 0),
      level: String(s.level ?? 'Legacy'),
      state: String(s.state ?? ''),
      storageVersion: Number(s.storage_version ?? 0),
      isSorted: Boolean(s.is_sorted),
    }));
  }

  async describeSegments(db: string, collectionId: string, segmentIds: string[], signal?: AbortSignal): Promise<RestSegmentInfo[]> {
    return this.rest.describeSegments(db, collectionId, segmentIds, signal);
  }

  async backupRBAC(): Promise<Raw> {
    const r = await this.call(DEFAULT_DB, 'BackupRBAC', {});
    return (r.RBAC_meta ?? {}) as Raw;
  }

  async restoreRBAC(rbacMeta: Raw): Promise<void> {
    await this.call(DEFAULT_DB, 'RestoreRBAC', { RBAC_meta: rbacMeta });
  }

  async createCollection(db: string, a: CreateCollectionArgs): Promise<void> {
    await this.call(db, 'CreateCollection', {
      collection_name: a.name,
      schema: a.schema,
      shards_num: a.shardsNum,
      consistency_level: a.consistencyLevel,
      num_partitions: a.numPartitions,
      properties: a.properties,
    });
  }

  async dropCollection(db: string, name: string): Promise<void> {
    await this.call(db, 'DropCollection', { collection_name: name });
  }

  async addCollectionField(db: string, name: string, fieldSchema: Buffer): Promise<void> {
    await this.call(db, 'AddCollectionField', { collection_name: name, schema: fieldSchema });
  }

  async alterCollectionProperties(db: string, name: string, properties: KeyValue[]): Promise<void> {
    await this.call(db, 'AlterCollection', { collection_name: name, properties });
  }

  async createIndex(db: string, collection: string, fieldName: string, indexName: string, params: KeyValue[]): Promise<void> {
    await this.call(db, 'CreateIndex', { collection_name: collection, field_name: fieldName, index_name: indexName, extra_params: params });
  }

  async dropIndex(db: string, collection: string, fieldName: string, indexName: string): Promise<void> {
    await this.call(db, 'DropIndex', { collection_name: collection, field_name: fieldName, index_name: indexName });
  }

  async hasPartition(db: string, collection: string, partition: string): Promise<boolean> {
    const r = await this.call(db, 'HasPartition', { collection_name: collection, partition_name: partition });
    return Boolean(r.value);
  }

  async createPartition(db: string, collection: string, partition: string): Promise<void> {
    await this.call(db, 'CreatePartition', { collection_name: collection, partition_name: partition });
  }

  async importFiles(db: string, collection: string, partition: string, files: string[], options: KeyValue[]): Promise<string> {
    const r = await this.call(db, 'Import', { collection_name: collection, partition_name: partition, files, options });
    const id = (r.tasks ?? [])[0];
    if (id === undefined) throw new Error(`Import into ${db}.${collection} returned no job id`);
    return String(id);
  }

  async getImportState(jobId: string): Promise<ImportProgress> {
    const r = await this.call(DEFAULT_DB, 'GetImportState', { task: jobId });
    const state = String(r.state ?? '');
    const infos = (r.infos ?? []) as KeyValue[];
    const info = (k: string) => infos.find((x) => x.key === k)?.value ?? '';
    return {
      state,
      done: state === 'ImportCompleted' || state === 'Completed',
      failed: state === 'ImportFailed' || state === 'Failed',
      progress: Number(r.progress ?? info('progress_percent') ?? 0) || 0,
      reason: info('failed_reason') || String(r.reason ?? ''),
      importedRows: r.row_count !== undefined ? Number(r.row_count) : undefined,
    };
  }

  async restImportCreate(db: string, collection: string, partition: string, files: string[][], options: Record<string, string>): Promise<string> {
    return this.rest.importCreate(db, collection, partition, files, options);
  }

  async restImportDescribe(db: string, jobId: string): Promise<ImportProgress> {
    return this.rest.importDescribe(db, jobId);
  }

  async pauseGc(seconds: number, collectionId?: string): Promise<{ ticket?: string }> {
    if (!this.mgmt) throw new Error('no Milvus management endpoint configured (backup.gcPause.address / milvus.management.endpoint)');
    return this.mgmt.pauseGc(seconds, collectionId);
  }

  async resumeGc(ticket?: string): Promise<void> {
    if (!this.mgmt) throw new Error('no Milvus management endpoint configured (backup.gcPause.address / milvus.management.endpoint)');
    return this.mgmt.resumeGc(ticket);
  }

  async replicateMessage(channelName: string): Promise<string> {
    const r = await this.call(DEFAULT_DB, 'ReplicateMessage', { channel_name: channelName });
    return String(r.position ?? '');
  }

  async backupEzk(db: string): Promise<string> {
    if (!this.mgmt) throw new Error('no Milvus management endpoint configured (milvus.management.endpoint)');
    return this.mgmt.backupEzk(db);
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.closeConnection().catch(() => {})));
  }
}

/**
 * pchannel → flush timestamp from FlushAll's `flush_all_msgs`: each ImmutableMessage carries its time tick in
 * the `_tt` property, encoded by Milvus's streaming message encoder in base 36 (Go `message.DecodeUint64`).
 */
export function flushAllTss(flushAllResponse: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [pch, msg] of Object.entries((flushAllResponse.flush_all_msgs ?? {}) as Record<string, Raw>)) {
    const tt = (msg?.properties ?? {})._tt;
    if (typeof tt !== 'string' || tt === '') throw new Error(`FlushAll message of ${pch} has no _tt property`);
    let v = 0n;
    for (const ch of tt.toLowerCase()) {
      const d = parseInt(ch, 36);
      if (Number.isNaN(d)) throw new Error(`FlushAll message of ${pch}: bad _tt "${tt}"`);
      v = v * 36n + BigInt(d);
    }
    out[pch] = v.toString();
  }
  return out;
}
