/** Partition RPCs (internal/rootcoord/create_partition_task.go, drop_partition_task.go; docs: https://milvus.io/docs/manage-partitions.md). */
import { dbOf, validateName, type HandlerMap } from './common.js';
import { errors } from '../milvusError.js';
import { DEFAULT_PARTITION } from './collections.js';

/** rootCoord.maxPartitionNum default. */
const MAX_PARTITIONS = 1024;

export const partitionHandlers: HandlerMap = {
  CreatePartition(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const name = String(req.partition_name ?? '');
    validateName('partition', name);
    if (c.schema.fields.some((f) => f.is_partition_key)) throw errors.plain('disable create partition if partition key mode is used');
    if (c.partitions.some((p) => p.name === name)) return {}; // RootCoord: duplicate partition is a no-op
    if (c.partitions.length >= MAX_PARTITIONS) throw errors.paramRaw(`partition number (${c.partitions.length}) exceeds max configuration (${MAX_PARTITIONS}), collection: ${c.name}`);
    const ts = s.allocTs();
    c.partitions.push({ id: s.catalog.allocId(), name, createdTs: ts, createdUtcMs: Date.now() });
    s.catalog.save();
    return {};
  },

  async DropPartition(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const name = String(req.partition_name ?? '');
    if (name === DEFAULT_PARTITION) throw errors.paramRaw('default partition cannot be deleted');
    if (c.schema.fields.some((f) => f.is_partition_key)) throw errors.plain('disable drop partition if partition key mode is used');
    const p = c.partitions.find((x) => x.name === name);
    if (!p) return {};
    if (c.loaded && (c.loadedPartitions.length === 0 || c.loadedPartitions.includes(name))) {
      throw errors.plain('partition cannot be dropped, partition is loaded, please release it first');
    }
    if (s.dataPlane) await s.dataPlane.dropPartition(s.view(c), p.id);
    c.partitions = c.partitions.filter((x) => x !== p);
    s.catalog.save();
    return {};
  },

  HasPartition(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    return { value: c.partitions.some((p) => p.name === req.partition_name) };
  },

  ShowPartitions(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    let ps = c.partitions;
    const wanted = (req.partition_names as string[] | undefined) ?? [];
    if (wanted.length) {
      for (const n of wanted) if (!ps.some((p) => p.name === n)) throw errors.partitionNotFound(n);
      ps = ps.filter((p) => wanted.includes(p.name));
    }
    const loaded = (n: string) => c.loaded && (c.loadedPartitions.length === 0 || c.loadedPartitions.includes(n));
    // type InMemory ("Loaded" in the SDK): only the loaded partitions (proxy showPartitionsTask asks QueryCoord);
    // the real Milvus 2.3.5 answers [] before a load and ["p1"] after loading p1 alone.
    if (req.type === 'InMemory' || req.type === 1) ps = ps.filter((p) => loaded(p.name));
    return {
      partition_names: ps.map((p) => p.name),
      partitionIDs: ps.map((p) => p.id),
      created_timestamps: ps.map((p) => p.createdTs),
      created_utc_timestamps: ps.map((p) => String(p.createdUtcMs)),
      inMemory_percentages: ps.map((p) => (loaded(p.name) ? '100' : '0')),
    };
  },

  async GetPartitionStatistics(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    const p = c.partitions.find((x) => x.name === req.partition_name);
    if (!p) throw errors.partitionNotFound(String(req.partition_name));
    const rows = s.dataPlane ? await s.dataPlane.count(s.view(c), '', [p.name]) : 0;
    return { stats: [{ key: 'row_count', value: String(rows) }] };
  },
};
