/** Mix compaction and L0 compaction, as far as a backup tool can observe them (new segments, old ones Dropped). */
import type { CollectionView } from './api';
import type { Engine } from './engine';
import { Segment, StoredRow, newSegmentMeta, pkField } from './segments';
import { hasL0, storageVersionOf } from './version';

/**
 * Mix compaction: per (partition, vchannel), the flushed non-L0 segments that are ≥ 2 or carry deletes are
 * rewritten into one new segment (fresh id and binlogs, deleted rows removed) and the old ones become Dropped.
 * L0 segments of a vchannel are dropped once their deletes are applied (no unflushed data left on that
 * vchannel), like Milvus's L0 compaction. Dropped files stay until GC.
 */
export async function compact(eng: Engine, c: CollectionView): Promise<{ compactionId: string; merged: string[]; created: string[] }> {
  eng.remember(c);
  return eng.withLock(c.collectionId, async () => {
    await eng.ensureLoaded(c);
    const compactionId = eng.alloc.alloc().toString();
    const col = eng.coll(c.collectionId);
    const idx = eng.deleteIndex(c);
    const pkf = pkField(c);
    const groups = new Map<string, Segment[]>();
    for (const s of col.segments.values()) {
      if (s.meta.state !== 'Flushed' || s.meta.level === 'L0' || s.meta.importJobId) continue;
      const k = `${s.meta.partitionId}|${s.meta.vchannel}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(s);
    }
    const merged: string[] = [];
    const created: string[] = [];
    for (const g of groups.values()) {
      const withDeletes = g.some((s) => s.rows.some((r) => eng.isDeleted(idx, s, r, pkf.fieldId)));
      if (g.length < 2 && !withDeletes) continue;
      g.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      const rows: StoredRow[] = [];
      for (const s of g) for (const r of s.rows) if (!eng.isDeleted(idx, s, r, pkf.fieldId)) rows.push(r);
      if (rows.length > 0) {
        const seg = new Segment(
          newSegmentMeta({
            segmentId: eng.alloc.alloc().toString(),
            collectionId: c.collectionId,
            partitionId: g[0].meta.partitionId,
            vchannel: g[0].meta.vchannel,
            level: hasL0(eng.version) ? 'L1' : 'Legacy',
            state: 'Flushing',
            storageVersion: storageVersionOf(eng.version),
          }),
        );
        seg.rows = rows;
        seg.meta.isSorted = true;
        // Invisible while its binlogs are written (a crash leaves it to be dropped at restart, like an import's).
        seg.meta.importJobId = `compaction-${compactionId}`;
        col.segments.set(seg.id, seg);
        await eng.writeInsertLogs(c, seg);
        seg.meta.state = 'Flushed';
        created.push(seg.id);
      }
      // Swap in one synchronous step so no reader sees both the old and the new rows.
      const fresh = created.length ? col.segments.get(created[created.length - 1]) : undefined;
      if (fresh && rows.length > 0) delete fresh.meta.importJobId;
      for (const s of g) {
        // Pre-2.4 deletes that arrived while we wrote follow the rows into the new segment.
        if (fresh && rows.length > 0) fresh.pendingDeletes.push(...s.pendingDeletes);
        s.meta.state = 'Dropped';
        s.meta.droppedAt = Date.now();
        merged.push(s.id);
      }
    }
    for (const s of col.segments.values()) {
      if (s.meta.level !== 'L0' || s.meta.state !== 'Flushed') continue;
      const pending = [...col.segments.values()].some(
        (x) => x.meta.vchannel === s.meta.vchannel && (x.meta.state === 'Growing' || x.meta.state === 'Sealed' || x.meta.state === 'Flushing') && x.rows.length > 0,
      );
      if (pending) continue;
      s.meta.state = 'Dropped';
      s.meta.droppedAt = Date.now();
      merged.push(s.id);
    }
    eng.save();
    return { compactionId, merged, created };
  });
}
