import { sleep, throwIfAborted } from '../jobs/abort';
import type { FlushOutcome, MilvusGateway, Raw } from '../milvus/gateway';
import { encodeMessage } from '../milvus/proto';

/**
 * Flush before copying (Go `core/backup/coll_plan.go`). Serial: `Flush` one collection then poll `GetFlushState` until flushed.
 * Bulk: one `FlushAll` then poll `GetFlushAllState`. Go polls every second, warns after 30 min and never
 * gives up; we do the same (cancellation stops the wait).
 */

export interface FlushTiming {
  pollMs: number;
  warnAfterMs: number;
}

export const DEFAULT_FLUSH_TIMING: FlushTiming = { pollMs: 1000, warnAfterMs: 30 * 60_000 };

export async function flushCollection(
  gw: MilvusGateway, db: string, name: string, o: { signal?: AbortSignal; timing?: FlushTiming; warn?: (m: string) => void } = {},
): Promise<FlushOutcome> {
  const t = o.timing ?? DEFAULT_FLUSH_TIMING;
  const r = await gw.flush(db, name, o.signal);
  const start = Date.now();
  let warned = false;
  for (;;) {
    await sleep(t.pollMs, o.signal);
    let flushed = false;
    try {
      flushed = await gw.getFlushState(db, name, r.segmentIds, r.flushTs);
    } catch (e) {
      // Go keeps polling through errors here.
      throwIfAborted(o.signal);
      o.warn?.(`GetFlushState for ${db}.${name} failed, retrying: ${(e as Error).message}`);
    }
    if (flushed) return r;
    if (!warned && Date.now() - start > t.warnAfterMs) {
      warned = true;
      o.warn?.(`waiting for the flush of ${db}.${name} has taken over ${Math.round(t.warnAfterMs / 60000)} min: is Milvus healthy?`);
    }
  }
}

export interface FlushAllRecord {
  controlChannel: string;
  pchannels: string[];
  /** pchannel → base64(proto ImmutableMessage) */
  msgsBase64: Record<string, string>;
}

const IMMUTABLE_MESSAGE = 'milvus.proto.common.ImmutableMessage';

export async function flushAll(
  gw: MilvusGateway, o: { signal?: AbortSignal; timing?: FlushTiming; warn?: (m: string) => void } = {},
): Promise<FlushAllRecord> {
  const t = o.timing ?? DEFAULT_FLUSH_TIMING;
  const r = await gw.flushAll(o.signal);
  const start = Date.now();
  let warned = false;
  for (;;) {
    await sleep(t.pollMs, o.signal);
    if (await gw.getFlushAllState(r)) break;
    if (!warned && Date.now() - start > t.warnAfterMs) {
      warned = true;
      o.warn?.(`waiting for FlushAll has taken over ${Math.round(t.warnAfterMs / 60000)} min: is Milvus healthy?`);
    }
  }
  const msgs: Record<string, string> = {};
  for (const [pch, m] of Object.entries((r.flush_all_msgs ?? {}) as Record<string, Raw>)) {
    msgs[pch] = encodeMessage(IMMUTABLE_MESSAGE, m).toString('base64');
  }
  const ci = (r.cluster_info ?? {}) as Raw;
  return { controlChannel: String(ci.cchannel ?? ''), pchannels: ((ci.pchannels ?? []) as unknown[]).map(String), msgsBase64: msgs };
}
