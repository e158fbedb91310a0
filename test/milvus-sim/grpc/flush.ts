/**
 * Flush, GetFlushState, FlushAll, GetFlushAllState, GetPersistentSegmentInfo, compaction
 * (internal/proxy/impl.go + task_flush*.go; docs: https://milvus.io/docs/manage-collections.md#Flush).
 * FlushAll answers as 2.6.11+ does: `flush_all_msgs` per physical channel (an ImmutableMessage whose `_tt`
 * property is the flush time tick in base 36, pkg/streaming/util/message/encoder.go) and `cluster_info`.
 */
import { dbOf, type HandlerMap } from './common.js';
import { DML_CHANNEL_NUM, DML_CHANNEL_PREFIX, type CollectionRecord } from '../catalog.js';
import { errors } from '../milvusError.js';
import type { SimState } from '../state.js';

const SEGMENT_STATE_NAMES = new Set(['Growing', 'Sealed', 'Flushed', 'Flushing', 'Dropped']);

/** `<pchannel>_<collectionID>v<n>` → `<pchannel>` (funcutil.ToPhysicalChannel). */
export function toPhysical(vchannel: string): string {
  const i = vchannel.lastIndexOf('_');
  return /_\d+v\d+$/.test(vchannel) ? vchannel.slice(0, i) : vchannel;
}

const compactions = new Map<string, { state: 'Completed'; plans: number }>();

function allPchannels(): string[] {
  return Array.from({ length: DML_CHANNEL_NUM }, (_, i) => `${DML_CHANNEL_PREFIX}_${i}`);
}

function flushTargets(req: Record<string, any>, dbName: string | undefined, s: SimState): CollectionRecord[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const targets = (req.flush_targets as Array<{ db_name: string; collection_names: string[] }>) ?? [];
  if (targets.length) {
    return targets.flatMap((t) => {
      const db = t.db_name || 'default';
      s.requireDb(db);
      return t.collection_names?.length ? t.collection_names.map((n) => s.requireCollection(db, n)) : s.catalog.collectionsOf(db);
    });
  }
  if (dbName) {
    s.requireDb(dbName);
    return s.catalog.collectionsOf(dbName);
  }
  return s.catalog.data.collections;
}

export const flushHandlers: HandlerMap = {
  async Flush(req, ctx, s) {
    const dbName = dbOf(req, ctx);
    const names = (req.collection_names as string[]) ?? [];
    const out = {
      db_name: dbName,
      coll_segIDs: {} as Record<string, unknown>,
      flush_coll_segIDs: {} as Record<string, unknown>,
      coll_seal_times: {} as Record<string, string>,
      coll_flush_ts: {} as Record<string, string>,
      channel_cps: {} as Record<string, unknown>,
    };
    for (const name of names) {
      const c = s.requireCollection(dbName, name);
      const r = await s.dp().flush(s.view(c));
      out.coll_segIDs[name] = { data: r.segmentIds };
      out.flush_coll_segIDs[name] = { data: r.flushedSegmentIds };
      out.coll_seal_times[name] = String(r.sealTimeSec);
      out.coll_flush_ts[name] = r.flushTs;
      for (const [vch, cp] of Object.entries(r.channelCheckpoints)) {
        out.channel_cps[vch] = { channel_name: vch, msgID: cp.msgId, msgGroup: '', timestamp: cp.timestamp };
      }
    }
    return out;
  },

  async GetFlushState(req, ctx, s) {
    const ids = ((req.segmentIDs as string[]) ?? []).map(String);
    let view;
    if (req.collection_name) view = s.view(s.requireCollection(dbOf(req, ctx), String(req.collection_name)));
    const flushTs = req.flush_ts && req.flush_ts !== '0' ? String(req.flush_ts) : undefined;
    return { flushed: await s.dp().getFlushState(ids, flushTs, view) };
  },

  async FlushAll(req, ctx, s) {
    const cs = flushTargets(req, req.db_name ? String(req.db_name) : undefined, s);
    const r = await s.dp().flushAll(cs.map((c) => s.view(c)));
    const perPch = new Map<string, bigint>();
    for (const [ch, ts] of Object.entries(r.perChannelTs)) {
      const p = toPhysical(ch);
      const v = BigInt(ts);
      if (!perPch.has(p) || perPch.get(p)! < v) perPch.set(p, v);
    }
    const msgs: Record<string, unknown> = {};
    for (const p of allPchannels()) {
      const tt = perPch.get(p) ?? BigInt(r.flushAllTs);
      msgs[p] = {
        id: { id: tt.toString(36), WAL_name: 'Unknown' },
        payload: Buffer.alloc(0),
        properties: { _tt: tt.toString(36), _vc: `${p}_vcchan`, _v: '2' },
      };
    }
    const byDb = new Map<string, CollectionRecord[]>();
    for (const c of cs) byDb.set(c.dbName, [...(byDb.get(c.dbName) ?? []), c]);
    return {
      flush_all_ts: r.flushAllTs,
      flush_results: [...byDb].map(([db, list]) => ({ db_name: db, collection_results: list.map((c) => ({ collection_name: c.name })) })),
      flush_all_msgs: msgs,
      cluster_info: { cluster_id: 'by-dev', cchannel: `${DML_CHANNEL_PREFIX}_0_vcchan`, pchannels: allPchannels() },
    };
  },

  async GetFlushAllState(req, _ctx, s) {
    let ts = req.flush_all_ts && req.flush_all_ts !== '0' ? BigInt(req.flush_all_ts) : 0n;
    for (const v of Object.values((req.flush_all_tss as Record<string, string>) ?? {})) if (BigInt(v) > ts) ts = BigInt(v);
    if (ts === 0n) throw errors.paramRaw('flush_all_ts or flush_all_tss is required');
    return { flushed: await s.dp().getFlushAllState(ts.toString()), flush_states: [] };
  },

  async GetPersistentSegmentInfo(req, ctx, s) {
    const c = s.requireCollection(dbOf(req, ctx), String(req.collectionName ?? ''));
    const segs = await s.dp().segments(s.view(c));
    return {
      infos: segs
        .filter((g) => SEGMENT_STATE_NAMES.has(g.state) && g.state !== 'Dropped')
        .map((g) => ({
          segmentID: g.segmentId,
          collectionID: g.collectionId,
          partitionID: g.partitionId,
          num_rows: String(g.numRows),
          state: g.state,
          level: g.level,
          is_sorted: g.isSorted,
          storage_version: String(g.storageVersion),
        })),
    };
  },

  async ManualCompaction(req, ctx, s) {
    const c =
      req.collectionID && req.collectionID !== '0'
        ? s.catalog.collectionById(String(req.collectionID))
        : s.requireCollection(dbOf(req, ctx), String(req.collection_name ?? ''));
    if (!c) throw errors.collectionNotFound(String(req.collectionID));
    const r = await s.dp().compact(s.view(c));
    compactions.set(r.compactionId, { state: 'Completed', plans: r.created.length });
    return { compactionID: r.compactionId, compactionPlanCount: r.created.length };
  },

  GetCompactionState(req) {
    const c = compactions.get(String(req.compactionID));
    if (!c) return { state: 'UndefiedState', executingPlanNo: '0', timeoutPlanNo: '0', completedPlanNo: '0', failedPlanNo: '0' };
    return { state: 'Completed', executingPlanNo: '0', timeoutPlanNo: '0', completedPlanNo: String(c.plans), failedPlanNo: '0' };
  },

  GetCompactionStateWithPlans(req) {
    const c = compactions.get(String(req.compactionID));
    return { state: c ? 'Completed' : 'UndefiedState', mergeInfos: [] };
  },
};
