/**
 * Collection DDL on the target, in the Go tool's order (Go `core/restore/coll_ddl_task.go` `collDDLTask.Execute`):
 * drop existing → create (+ AddCollectionField for fields after `$meta`) → restore the function runtime-check
 * property → drop existing indexes → rebuild indexes → partitions.
 */
import { encodeMessage, FIELD_SCHEMA, SCHEMA } from '../milvus/proto';
import type { KeyValue, MilvusGateway } from '../milvus/gateway';
import { indexRequests } from './indexes';
import { nsKey } from '../layout';
import type { CollectionTaskPlan } from './plan';
import { hasPartitionKey, kvs, schemaForCreate } from './schemaConv';
import type { RestoreFlags } from './types';

const DISABLE_FUNC_RUNTIME_CHECK = 'disable_func_runtime_check';

interface DdlOutcome {
  created: boolean;
  dropped: boolean;
  addedFields: string[];
  indexes: number;
  partitionsCreated: string[];
}

/** shards_num: per-collection override > min(backup, maxShardNum) > backup. */
export function shardsFor(t: CollectionTaskPlan, maxShardNum = 0): number {
  if (t.override.shardNum && t.override.shardNum > 0) return t.override.shardNum;
  const n = t.collection.shardsNum;
  return maxShardNum > 0 && n > maxShardNum ? maxShardNum : n;
}

/** num_partitions: the backed-up partition count for partition-key collections (so `_default_<n>` exist), else 0. */
export function numPartitionsFor(t: CollectionTaskPlan): number {
  return hasPartitionKey(t.collection.schema) ? t.collection.partitionBackups.length : 0;
}

/** CreateCollection's request properties: schema properties minus skipped keys, plus the runtime-check dance. */
export function createProperties(t: CollectionTaskPlan, flags: RestoreFlags, funcRuntimeCheck: boolean): KeyValue[] {
  const schema = t.collection.schema!;
  let props = kvs(schema.properties, flags.skipParams?.collectionProperties);
  if (schema.functions.length > 0 && funcRuntimeCheck) {
    // Milvus ≥ 2.6.8 checks functions at creation (e.g. that a TextEmbedding provider answers); a restore must
    // not depend on that, so create with the check off and switch it back afterwards.
    props = props.filter((kv) => kv.key !== DISABLE_FUNC_RUNTIME_CHECK);
    props.push({ key: DISABLE_FUNC_RUNTIME_CHECK, value: 'true' });
  }
  return props;
}

export const newDdlOutcome = (): DdlOutcome => ({ created: false, dropped: false, addedFields: [], indexes: 0, partitionsCreated: [] });

/** `out` is filled as steps succeed, so a caller knows what was done even when a later step throws. */
export async function runDdl(gw: MilvusGateway, t: CollectionTaskPlan, flags: RestoreFlags, log: (m: string) => void, out: DdlOutcome = newDdlOutcome()): Promise<DdlOutcome> {
  const { db, collection } = t.target;
  const schema = t.collection.schema;
  if (!schema) throw new Error(`the backup has no schema for ${nsKey(t.source)}`);

  if (flags.dropExistCollection && (await gw.hasCollection(db, collection))) {
    log(`dropping existing ${db}.${collection}`);
    await gw.dropCollection(db, collection);
    out.dropped = true;
  }

  if (!flags.skipCreateCollection) {
    const s = schemaForCreate(schema, collection, {
      description: t.override.description,
      skip: { fieldTypeParams: flags.skipParams?.fieldTypeParams, fieldIndexParams: flags.skipParams?.fieldIndexParams },
    });
    await gw.createCollection(db, {
      name: collection,
      schema: encodeMessage(SCHEMA, s.schema),
      shardsNum: shardsFor(t, flags.maxShardNum),
      consistencyLevel: t.collection.consistencyLevel,
      numPartitions: numPartitionsFor(t),
      properties: createProperties(t, flags, gw.features.funcRuntimeCheck),
    });
    out.created = true;
    for (const f of s.addFields) {
      log(`adding field ${String(f.name)} (id ${String(f.fieldID)}) to ${db}.${collection}`);
      await gw.addCollectionField(db, collection, encodeMessage(FIELD_SCHEMA, f));
      out.addedFields.push(String(f.name));
    }
  }

  if (schema.functions.length > 0 && gw.features.funcRuntimeCheck) {
    const orig = schema.properties.find((kv) => kv.key === DISABLE_FUNC_RUNTIME_CHECK)?.value ?? 'false';
    if (orig !== 'true') await gw.alterCollectionProperties(db, collection, [{ key: DISABLE_FUNC_RUNTIME_CHECK, value: 'false' }]);
  }

  if (flags.dropExistIndex) {
    let existing: Array<Record<string, unknown>> = [];
    try {
      existing = await gw.describeIndex(db, collection);
    } catch (e) {
      log(`cannot list indexes of ${db}.${collection} (${(e as Error).message}); none dropped`); // Go: warn and go on
    }
    for (const idx of existing) {
      await gw.dropIndex(db, collection, String(idx.field_name ?? ''), String(idx.index_name ?? ''));
    }
  }

  if (flags.rebuildIndex) {
    for (const r of indexRequests(t.collection, Boolean(flags.useAutoIndex))) {
      await gw.createIndex(db, collection, r.fieldName, r.indexName, r.params);
      out.indexes++;
    }
  }

  const partitionKey = hasPartitionKey(schema);
  for (const p of t.collection.partitionBackups) {
    if (!(await gw.hasPartition(db, collection, p.partitionName))) {
      if (partitionKey) {
        // Milvus forbids CreatePartition on partition-key collections: their partitions are the `_default_<n>`
        // ones num_partitions created. A backup whose names differ cannot be imported partition by partition.
        throw new Error(
          `${db}.${collection} uses a partition key, so its partitions are created by Milvus (_default_0…); ` +
            `the backup's partition "${p.partitionName}" does not exist there and cannot be created`,
        );
      }
      await gw.createPartition(db, collection, p.partitionName);
      out.partitionsCreated.push(p.partitionName);
    }
  }
  return out;
}
