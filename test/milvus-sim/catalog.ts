/**
 * The catalog of one simulated Milvus: what Milvus keeps in etcd through RootCoord (databases, collections with
 * their schema and field ids, partitions, aliases), DataCoord's index metadata, QueryCoord's load state, and the
 * RBAC store (users, roles, grants, privilege groups). Persisted as one JSON file in the instance's data dir,
 * rewritten atomically after each change, so a restart keeps everything (like etcd).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KV {
  key: string;
  value: string;
}

/** A FieldSchema as a plain proto object (snake_case, int64 as strings, enums as names). */
export type FieldSchemaObj = Record<string, unknown> & {
  fieldID: string;
  name: string;
  data_type: string;
  is_dynamic?: boolean;
};

export type SchemaObj = Record<string, unknown> & {
  name: string;
  fields: FieldSchemaObj[];
  enable_dynamic_field?: boolean;
  functions?: Array<Record<string, unknown>>;
  properties?: KV[];
};

export interface DatabaseRecord {
  id: string;
  name: string;
  createdTs: string;
  properties: KV[];
}

export interface PartitionRecord {
  id: string;
  name: string;
  createdTs: string;
  createdUtcMs: number;
}

export interface IndexRecord {
  id: string;
  name: string;
  fieldName: string;
  fieldId: string;
  params: KV[];
}

export interface CollectionRecord {
  id: string;
  dbName: string;
  name: string;
  schema: SchemaObj;
  shardsNum: number;
  consistencyLevel: string;
  properties: KV[];
  numPartitions: number;
  vchannels: string[];
  pchannels: string[];
  createdTs: string;
  createdUtcMs: number;
  partitions: PartitionRecord[];
  indexes: IndexRecord[];
  loaded: boolean;
  /** Loaded partition names when only some partitions were loaded. */
  loadedPartitions: string[];
  aliases: string[];
  /** Hybrid timestamp of the last schema change (AddCollectionField); DescribeCollection's update_timestamp. */
  schemaUpdateTs?: string;
}

export interface UserRecord {
  name: string;
  /** Opaque stored credential; round-trips through BackupRBAC/RestoreRBAC like Milvus's encrypted password. */
  password: string;
  roles: string[];
}

export interface GrantRecord {
  role: string;
  object: string;
  objectName: string;
  dbName: string;
  grantor: string;
  privilege: string;
}

export interface CatalogData {
  databases: DatabaseRecord[];
  collections: CollectionRecord[];
  users: UserRecord[];
  roles: string[];
  grants: GrantRecord[];
  privilegeGroups: Array<{ name: string; privileges: string[] }>;
  /** Last id/timestamp handed out by the fallback allocator (used until a data plane is attached). */
  lastId: string;
  pchannelCursor: number;
}

export const DML_CHANNEL_PREFIX = 'by-dev-rootcoord-dml';
/** rootCoord.dmlChannelNum default (milvus.yaml). */
export const DML_CHANNEL_NUM = 16;

export class Catalog {
  data: CatalogData;
  private readonly file: string;

  constructor(
    dataDir: string,
    private allocator: () => string,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'catalog.json');
    if (existsSync(this.file)) {
      this.data = JSON.parse(readFileSync(this.file, 'utf8')) as CatalogData;
    } else {
      this.data = { databases: [], collections: [], users: [], roles: [], grants: [], privilegeGroups: [], lastId: '0', pchannelCursor: 0 };
    }
    if (!this.data.databases.some((d) => d.name === 'default')) {
      // Milvus creates the default database (id 1) at first start.
      this.data.databases.unshift({ id: '1', name: 'default', createdTs: this.allocId(), properties: [] });
    }
    for (const r of ['admin', 'public']) if (!this.data.roles.includes(r)) this.data.roles.push(r);
    this.save();
  }

  setAllocator(a: () => string): void {
    this.allocator = a;
  }

  allocId(): string {
    const id = this.allocator();
    if (BigInt(id) > BigInt(this.data.lastId)) this.data.lastId = id;
    return id;
  }

  save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }

  db(name: string): DatabaseRecord | undefined {
    return this.data.databases.find((d) => d.name === name);
  }

  collection(dbName: string, nameOrAlias: string): CollectionRecord | undefined {
    return (
      this.data.collections.find((c) => c.dbName === dbName && c.name === nameOrAlias) ??
      this.data.collections.find((c) => c.dbName === dbName && c.aliases.includes(nameOrAlias))
    );
  }

  collectionById(id: string): CollectionRecord | undefined {
    return this.data.collections.find((c) => c.id === id);
  }

  collectionsOf(dbName: string): CollectionRecord[] {
    return this.data.collections.filter((c) => c.dbName === dbName);
  }

  /** Picks `shards` physical channels round-robin from the DML channel pool, as RootCoord's channel manager does. */
  assignChannels(collectionId: string, shards: number): { vchannels: string[]; pchannels: string[] } {
    const vchannels: string[] = [];
    const pchannels: string[] = [];
    for (let i = 0; i < shards; i++) {
      const p = `${DML_CHANNEL_PREFIX}_${(this.data.pchannelCursor + i) % DML_CHANNEL_NUM}`;
      pchannels.push(p);
      vchannels.push(`${p}_${collectionId}v${i}`);
    }
    this.data.pchannelCursor = (this.data.pchannelCursor + shards) % DML_CHANNEL_NUM;
    return { vchannels, pchannels };
  }
}

/** Fallback TSO-like allocator: (physical ms << 18) | logical, strictly increasing, far above 2^53. */
export function makeTsoAllocator(last: () => string): () => string {
  let prev = 0n;
  return () => {
    const floor = BigInt(last());
    if (floor > prev) prev = floor;
    let next = BigInt(Date.now()) << 18n;
    if (next <= prev) next = prev + 1n;
    prev = next;
    return next.toString();
  };
}
