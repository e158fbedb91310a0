/** Growing data across a graceful restart (see saveGrowing). */
import type { Value } from './api';
import type { DeleteEntry } from './binlogCodec';
import type { Engine } from './engine';
import { Segment, SegmentMeta } from './segments';
import { parseTagged, stringifyTagged } from './tagged';

/**
 * Growing (unflushed) rows and buffered deletes survive a graceful close (SIGINT/SIGTERM → close()): they are
 * written to `<dataDir>/data-plane-growing.json` and reloaded — Milvus would replay them from its WAL. A crash
 * (no close) loses them.
 */
export async function saveGrowing(eng: Engine): Promise<void> {
  const out: unknown[] = [];
  for (const [collId, col] of eng.colls) {
    const segs = [...col.segments.values()].filter((s) => s.meta.state === 'Growing' || s.meta.state === 'Sealed' || s.meta.state === 'Flushing');
    const legacyPending = [...col.segments.values()].filter((s) => s.meta.state === 'Flushed' && s.pendingDeletes.length).map((s) => ({ id: s.id, d: s.pendingDeletes }));
    out.push({
      collId,
      segs: segs.map((s) => ({ meta: s.meta, rows: s.rows.map((r) => [r.rowId, r.ts, [...r.values.entries()]]), pending: s.pendingDeletes })),
      growing: [...col.growing.entries()],
      deleteBuffer: [...col.deleteBuffer.entries()],
      legacyPending,
    });
  }
  await eng.growingFile.write(stringifyTagged(out) as unknown as never);
}

export async function restoreGrowing(eng: Engine): Promise<void> {
  const raw = await eng.growingFile.read();
  if (typeof raw !== 'string') return;
  type Saved = {
    collId: string;
    segs: Array<{ meta: SegmentMeta; rows: Array<[bigint, bigint, Array<[number, Value]>]>; pending: DeleteEntry[] }>;
    growing: Array<[string, string]>;
    deleteBuffer: Array<[string, DeleteEntry[]]>;
    legacyPending: Array<{ id: string; d: DeleteEntry[] }>;
  };
  const saved = parseTagged<Saved[]>(raw);
  for (const s of saved) {
    const col = eng.coll(s.collId);
    if (eng.droppedCollections.has(s.collId)) continue;
    for (const g of s.segs) {
      const seg = new Segment(g.meta);
      seg.rows = g.rows.map(([rowId, ts, vals]) => ({ rowId, ts, values: new Map(vals.map(([k, v]) => [Number(k), v])) }));
      seg.pendingDeletes = g.pending;
      if (seg.meta.state === 'Flushing') seg.meta.state = 'Sealed';
      col.segments.set(seg.id, seg);
    }
    for (const [k, v] of s.growing) col.growing.set(k, v);
    for (const [k, v] of s.deleteBuffer) col.deleteBuffer.set(k, v);
    for (const p of s.legacyPending) {
      const seg = col.segments.get(p.id);
      if (seg) seg.pendingDeletes.push(...p.d);
    }
  }
  await eng.growingFile.write('[]' as unknown as never);
}
