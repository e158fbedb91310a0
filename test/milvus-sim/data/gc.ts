/** The garbage collector's pass over dropped segments (datacoord garbage_collector.go: recycleDroppedSegments). */
import type { Engine } from './engine';
import { refsOf } from './segments';

/** One GC pass: removes the binlogs (then the metadata) of dropped segments, unless GC is paused for them. */
export async function runGc(eng: Engine): Promise<{ deletedKeys: string[] }> {
  const tolerance = eng.o.gcDropToleranceMs ?? 0;
  const now = Date.now();
  const deletedKeys: string[] = [];
  for (const [collId, col] of eng.colls) {
    if (eng.gc.isPaused(collId)) continue;
    for (const s of [...col.segments.values()]) {
      if (s.meta.state !== 'Dropped') continue;
      if ((s.meta.droppedAt ?? 0) + tolerance > now) continue;
      const keys = refsOf(s.meta).map((r) => r.key);
      if (keys.length) await eng.store.remove(keys);
      deletedKeys.push(...keys);
      col.segments.delete(s.id);
    }
  }
  eng.save();
  return { deletedKeys };
}
