/**
 * Collection RPCs (internal/proxy/task.go, internal/rootcoord/create_collection_task.go; docs:
 * https://milvus.io/docs/create-collection.md, manage-collections.md, add-fields-to-an-existing-collection.md).
 */
import { dbOf, mergeProperties, physicalMs, validateName, type HandlerMap, type Req } from './common.js';
import type { CollectionRecord } from '../catalog.js';
import { assignIds, decodeFieldSchema, decodeSchema, describedSchema, nextFieldId, validateSchema } from '../schemaCodec.js';
import { ErrCode, MilvusError, errors } from '../milvusError.js';
import type { SimState } from '../state.js';

/** common.DefaultPartitionsWithPartitionKey. */
const DEFAULT_PARTITION_KEY_PARTITIONS = 16;
/** proxy.maxShardNum default. */
const MAX_SHARDS = 16;
/** common.defaultPartitionName. */
export const DEFAULT_PARTITION = '_default';

function sameDefinition(a: CollectionRecord, req: Req, schema: ReturnType<typeof decodeSchema>): boolean {
  const strip = (fs: Array<Record<string, unknown>>) => fs.filter((f) => !f.is_dynamic).map((f) => ({ ...f, fieldID: undefined }));
  return JSON.stringify(strip(a.schema.fields)) === JSON.stringify(strip(schema.fields)) && a.shardsNum === (Number(req.shards_num) || 1);
}

export function describeCollection(c: CollectionRecord, s: SimState): Record<string, unknown> {
  const db = s.catalog.db(c.dbName);
  return {
    schema: describedSchema(c.schema, c.dbName),
    collectionID: c.id,
    virtual_channel_names: c.vchannels,
    physical_channel_names: c.pchannels,
    created_timestamp: c.createdTs,
    created_utc_timestamp: String(c.createdUtcMs),
    shards_num: c.shardsNum,
    aliases: c.aliases,
    start_positions: c.vchannels.map((v) => ({ key: v.replace(/_\d+v\d+$/, ''), data: Buffer.alloc(8) })),
    consistency_level: c.consistencyLevel,
    collection_name: c.name,
    properties: c.properties,
    db_name: c.dbName,
    num_partitions: String(c.numPartitions),
    db_id: db?.id ?? '1',
    request_time: s.allocTs(),
    // The SDK sends update_timestamp_str back as InsertRequest.schema_timestamp (a uint64 in decimal).
    update_timestamp: c.schemaUpdateTs ?? c.createdTs,
    update_timestamp_str: c.schemaUpdateTs ?? c.createdTs,
  };
}

export const collectionHandlers: HandlerMap = {
  CreateCollection(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    s.requireDb(dbName);
    const name = String(req.collection_name ?? '');
    validateName('collection', name);
    const raw = decodeSchema(req.schema as Uint8Array);
    if (raw.name && raw.name !== name) throw errors.paramRaw(`collection name [${name}] not matches schema name [${raw.name}]`);
    raw.name = name;
    validateSchema(raw);
    const existing = s.catalog.collection(dbName, name);
    if (existing) {
      // RootCoord treats an identical re-create as success and anything else as a conflict.
      if (existing.name === name && sameDefinition(existing, req, raw)) return {};
      throw errors.paramRaw(`create duplicate collection with different parameters, collection: ${name}`);
    }
    const shards = Number(req.shards_num) > 0 ? Number(req.shards_num) : 1;
    if (shards > MAX_SHARDS) throw errors.paramRaw(`maximum shards's number should be limited to ${MAX_SHARDS}`);
    const hasPartitionKey = raw.fields.some((f) => f.is_partition_key);
    let numPartitions = Number(req.num_partitions ?? 0);
    if (!hasPartitionKey && numPartitions > 0) throw errors.paramRaw('num_partitions should only be specified with partition key field enabled');
    if (hasPartitionKey && numPartitions <= 0) numPartitions = DEFAULT_PARTITION_KEY_PARTITIONS;
    if (numPartitions > 1024) throw errors.paramRaw('partition number (1024) exceeds max configuration (1024)');
    const schema = assignIds(raw);
    const id = s.catalog.allocId();
    const createdTs = s.allocTs();
    const createdUtcMs = physicalMs(createdTs) > 1e12 ? physicalMs(createdTs) : Date.now();
    const { vchannels, pchannels } = s.catalog.assignChannels(id, shards);
    const partNames = hasPartitionKey ? Array.from({ length: numPartitions }, (_, i) => `${DEFAULT_PARTITION}_${i}`) : [DEFAULT_PARTITION];
    const rec: CollectionRecord = {
      id,
      dbName,
      name,
      schema,
      shardsNum: shards,
      consistencyLevel: String(req.consistency_level ?? 'Bounded'),
      properties: req.properties ?? [],
      numPartitions: hasPartitionKey ? numPartitions : 0,
      vchannels,
      pchannels,
      createdTs,
      createdUtcMs,
      partitions: partNames.map((n) => ({ id: s.catalog.allocId(), name: n, createdTs, createdUtcMs })),
      indexes: [],
      loaded: false,
      loadedPartitions: [],
      aliases: [],
    };
    s.catalog.data.collections.push(rec);
    s.catalog.save();
    return {};
  },

  DescribeCollection(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    s.requireDb(dbName);
    let c: CollectionRecord | undefined;
    if (!req.collection_name && req.collectionID && req.collectionID !== '0') c = s.catalog.collectionById(String(req.collectionID));
    else if (req.collection_name) c = s.catalog.collection(dbName, String(req.collection_name));
    else throw errors.paramRaw('collection name should not be empty');
    if (!c) {
      // proxy describeCollectionTask: "compatibility with PyMilvus" — code stays 100 (collection not found) but
      // error_code becomes UnexpectedError, with this reason (db name as the request carried it).
      throw new MilvusError(ErrCode.CollectionNotFound, `can't find collection[database=${req.db_name ?? ''}][collection=${req.collection_name ?? ''}]`, false, 'UnexpectedError');
    }
    return describeCollection(c, s);
  },

  HasCollection(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    s.requireDb(dbName);
    return { value: Boolean(s.catalog.collection(dbName, String(req.collection_name ?? ''))) };
  },

  ShowCollections(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    s.requireDb(dbName);
    let cs = s.catalog.collectionsOf(dbName);
    const wanted = (req.collection_names as string[] | undefined) ?? [];
    if (req.type === 'InMemory') cs = cs.filter((c) => c.loaded);
    if (wanted.length) {
      for (const n of wanted) if (!cs.some((c) => c.name === n)) throw errors.collectionNotFound(n, dbName);
      cs = cs.filter((c) => wanted.includes(c.name));
    }
    return {
      collection_names: cs.map((c) => c.name),
      collection_ids: cs.map((c) => c.id),
      created_timestamps: cs.map((c) => c.createdTs),
      created_utc_timestamps: cs.map((c) => String(c.createdUtcMs)),
      inMemory_percentages: cs.map((c) => (c.loaded ? '100' : '0')),
      query_service_available: cs.map((c) => c.loaded),
      shards_num: cs.map((c) => c.shardsNum),
    };
  },

  async DropCollection(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    s.requireDb(dbName);
    const c = s.catalog.data.collections.find((x) => x.dbName === dbName && x.name === req.collection_name);
    if (!c) return {}; // dropping a missing collection succeeds (RootCoord dropCollectionTask)
    if (c.aliases.length) throw errors.paramRaw(`unable to drop the collection [${c.name}] because it has aliases [${c.aliases.join(', ')}], please remove all aliases before dropping the collection`);
    if (s.dataPlane) await s.dataPlane.dropCollection(s.view(c));
    s.catalog.data.collections = s.catalog.data.collections.filter((x) => x !== c);
    s.catalog.save();
    return {};
  },

  AlterCollection(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    // proxy alterCollectionTask.PreExecute: mmap / lazy-load properties only on a released collection
    const keys = ((req.properties as Array<{ key: string }>) ?? []).map((p) => p.key);
    if (c.loaded && keys.some((k) => k === 'mmap.enabled' || k === 'lazyload.enabled')) {
      throw new MilvusError(104, `collection already loaded[collection=${c.name}]: can not alter mmap properties if collection loaded`);
    }
    c.properties = mergeProperties(c.properties, req.properties, req.delete_keys);
    s.catalog.save();
    return {};
  },

  AddCollectionField(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const f = decodeFieldSchema(req.schema as Uint8Array);
    if (!f.name) throw errors.paramRaw('field name should not be empty');
    if (c.schema.fields.some((x) => x.name === f.name)) throw errors.paramRaw(`duplicate field name: ${f.name}`);
    if (!f.nullable) throw errors.paramRaw('added field must be nullable, please check it');
    if (f.is_primary_key || f.is_partition_key) throw errors.paramRaw('not support to add pk field or partition key field');
    c.schema.fields.push({ ...f, fieldID: String(nextFieldId(c.schema)) });
    c.schemaUpdateTs = s.allocTs();
    s.catalog.save();
    return {};
  },

  RenameCollection(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    const c = s.requireCollection(dbName, String(req.oldName ?? ''));
    const newDb = String(req.newDBName || dbName);
    s.requireDb(newDb);
    validateName('collection', String(req.newName ?? ''));
    if (s.catalog.collection(newDb, String(req.newName))) throw errors.paramRaw(`duplicated new collection name ${req.newName} in database ${newDb}`);
    c.name = String(req.newName);
    c.dbName = newDb;
    c.schema.name = c.name;
    s.catalog.save();
    return {};
  },

  async GetCollectionStatistics(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const rows = s.dataPlane ? await s.dataPlane.rowCount(s.view(c)) : 0;
    return { stats: [{ key: 'row_count', value: String(rows) }] };
  },

  // Aliases (docs: https://milvus.io/docs/manage-aliases.md)
  CreateAlias(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    const c = s.requireCollection(dbName, String(req.collection_name ?? ''));
    const alias = String(req.alias ?? '');
    validateName('alias', alias);
    if (s.catalog.collectionsOf(dbName).some((x) => x.name === alias)) throw errors.paramRaw(`alias and collection name conflict[database=${dbName}][alias=${alias}]`);
    const owner = s.catalog.collectionsOf(dbName).find((x) => x.aliases.includes(alias));
    if (owner && owner !== c) throw errors.paramRaw(`alias exists and already aliased to another collection, alias: ${alias}, collection: ${owner.name}, other collection: ${c.name}`);
    if (!owner) c.aliases.push(alias);
    s.catalog.save();
    return {};
  },

  DropAlias(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    for (const c of s.catalog.collectionsOf(dbName)) c.aliases = c.aliases.filter((a) => a !== req.alias);
    s.catalog.save();
    return {};
  },

  AlterAlias(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    const c = s.requireCollection(dbName, String(req.collection_name ?? ''));
    const owner = s.catalog.collectionsOf(dbName).find((x) => x.aliases.includes(String(req.alias)));
    if (!owner) throw new MilvusError(ErrCode.AliasNotFound, `alias not found[database=${dbName}][alias=${req.alias}]`);
    owner.aliases = owner.aliases.filter((a) => a !== req.alias);
    c.aliases.push(String(req.alias));
    s.catalog.save();
    return {};
  },

  DescribeAlias(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    const owner = s.catalog.collectionsOf(dbName).find((x) => x.aliases.includes(String(req.alias)));
    if (!owner) throw new MilvusError(ErrCode.AliasNotFound, `alias not found[database=${dbName}][alias=${req.alias}]`);
    return { db_name: dbName, alias: req.alias, collection: owner.name };
  },

  ListAliases(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    s.requireDb(dbName);
    const cs = req.collection_name ? [s.requireCollection(dbName, String(req.collection_name))] : s.catalog.collectionsOf(dbName);
    return { db_name: dbName, collection_name: req.collection_name ?? '', aliases: cs.flatMap((c) => c.aliases) };
  },
};
