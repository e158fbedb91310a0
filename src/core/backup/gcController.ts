import type { MilvusGateway } from '../milvus/gateway';

/**
 * GC pause while a backup copies binlogs (Go `core/backup/gc_controller.go`). Milvus's GC deletes the files of
 * segments dropped by compaction; a backup listing a segment and then copying it can lose that race.
 *
 * - Below 2.6.8: one cluster-wide pause (`collection_id=0`, 1 h) when the backup starts, renewed every
 *   30 min, resumed at the end.
 * - From 2.6.8 (collection-level GC control): no cluster pause; each collection's data phase pauses its own
 *   collection and gets a ticket; tickets with less than two renewal periods left are renewed every 5 min;
 *   the ticket is quoted to resume.
 *
 * Every failure is a warning (the backup goes on: GC rarely runs against the files being copied), and
 * `stop()` always resumes what was paused — call it in a `finally` so failures and cancellation resume too.
 * Differences from Go: a renewed ticket replaces the old one (Go renewed a copy and kept resuming the
 * expired ticket), and the cluster renewal stops with the backup even if its first pause failed.
 */

export interface GcTiming {
  /** Length of each pause (Go: 3600 s). */
  pauseSeconds: number;
  /** Cluster-level renewal period (Go: half the pause). */
  clusterRenewMs: number;
  /** Collection-level ticket check period (Go: 5 min); renewed when less than 2× this remains. */
  ticketCheckMs: number;
  /** Attempts of a resume, and the first wait between them (doubling): one failed resume left GC paused for an hour. */
  resumeAttempts: number;
  resumeRetryMs: number;
}

export const DEFAULT_GC_TIMING: GcTiming = {
  pauseSeconds: 3600, clusterRenewMs: 1_800_000, ticketCheckMs: 300_000, resumeAttempts: 4, resumeRetryMs: 500,
};

/** A resume, tried again with backoff before it is reported as failed. */
async function resumeWithRetry(t: GcTiming, fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1, wait = t.resumeRetryMs; ; attempt++, wait *= 2) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= t.resumeAttempts) throw e;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

export type GcEvent =
  | { kind: 'paused'; scope: 'cluster' | 'collection'; collectionId?: string; ticket?: string }
  | { kind: 'renewed'; scope: 'cluster' | 'collection'; collectionId?: string }
  | { kind: 'resumed'; scope: 'cluster' | 'collection'; collectionId?: string }
  | { kind: 'failed'; action: 'pause' | 'renew' | 'resume'; collectionId?: string; message: string; pausedUntil?: Date; ticket?: string };

export interface GcController {
  /** Cluster pause (old servers) and the renewal timer. */
  start(): Promise<void>;
  pauseCollection(collectionId: string): Promise<void>;
  resumeCollection(collectionId: string): Promise<void>;
  /** Resumes everything still paused and stops renewals. Never throws. */
  stop(): Promise<void>;
}

const noGcController: GcController = {
  start: async () => {},
  pauseCollection: async () => {},
  resumeCollection: async () => {},
  stop: async () => {},
};

type PauseApi = Pick<MilvusGateway, 'pauseGc' | 'resumeGc'>;

export function createGcController(
  gw: PauseApi,
  o: { enabled: boolean; collectionLevel: boolean; timing?: Partial<GcTiming>; onEvent?: (e: GcEvent) => void },
): GcController {
  if (!o.enabled) return noGcController;
  const timing = { ...DEFAULT_GC_TIMING, ...o.timing };
  const emit = o.onEvent ?? (() => {});
  return o.collectionLevel ? new CollectionGc(gw, timing, emit) : new ClusterGc(gw, timing, emit);
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

class ClusterGc implements GcController {
  private timer?: NodeJS.Timeout;
  private paused = false;
  private stopped = false;
  /** When Milvus ends the last pause it granted by itself. */
  private until = new Date(0);

  constructor(private readonly gw: PauseApi, private readonly t: GcTiming, private readonly emit: (e: GcEvent) => void) {}

  async start(): Promise<void> {
    try {
      await this.gw.pauseGc(this.t.pauseSeconds);
      this.until = new Date(Date.now() + this.t.pauseSeconds * 1000);
      this.paused = true;
      this.emit({ kind: 'paused', scope: 'cluster' });
    } catch (e) {
      this.emit({ kind: 'failed', action: 'pause', message: msg(e) });
      return;
    }
    if (this.stopped) return;
    this.timer = setInterval(() => void this.renew(), this.t.clusterRenewMs);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      await this.gw.pauseGc(this.t.pauseSeconds);
      this.until = new Date(Date.now() + this.t.pauseSeconds * 1000);
      this.emit({ kind: 'renewed', scope: 'cluster' });
    } catch (e) {
      this.emit({ kind: 'failed', action: 'renew', message: msg(e) });
    }
  }

  async pauseCollection(): Promise<void> {}
  async resumeCollection(): Promise<void> {}

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.paused) return;
    this.paused = false;
    try {
      await resumeWithRetry(this.t, () => this.gw.resumeGc());
      this.emit({ kind: 'resumed', scope: 'cluster' });
    } catch (e) {
      this.emit({ kind: 'failed', action: 'resume', message: msg(e), pausedUntil: this.until });
    }
  }
}

interface Ticket {
  ticket: string;
  expiresAt: number;
}

class CollectionGc implements GcController {
  private readonly tickets = new Map<string, Ticket>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly gw: PauseApi, private readonly t: GcTiming, private readonly emit: (e: GcEvent) => void) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => void this.renewDue(), this.t.ticketCheckMs);
    this.timer.unref();
  }

  private async renewDue(): Promise<void> {
    const now = Date.now();
    for (const [id, t] of [...this.tickets]) {
      if (t.expiresAt - now >= 2 * this.t.ticketCheckMs) continue;
      try {
        const r = await this.gw.pauseGc(this.t.pauseSeconds, id);
        // The collection may have been resumed while we waited: don't resurrect its pause.
        if (!this.tickets.has(id) || this.stopped) {
          if (r.ticket) await this.gw.resumeGc(r.ticket).catch(() => {});
          continue;
        }
        if (r.ticket) {
          const old = this.tickets.get(id)!;
          this.tickets.set(id, { ticket: r.ticket, expiresAt: Date.now() + this.t.pauseSeconds * 1000 });
          // A renewal grants a new ticket; release the old one so no stale pause outlives the backup.
          if (old.ticket !== r.ticket) await this.gw.resumeGc(old.ticket).catch(() => {});
        }
        this.emit({ kind: 'renewed', scope: 'collection', collectionId: id });
      } catch (e) {
        this.emit({ kind: 'failed', action: 'renew', collectionId: id, message: msg(e) });
      }
    }
  }

  async pauseCollection(collectionId: string): Promise<void> {
    if (this.stopped) return;
    try {
      const r = await this.gw.pauseGc(this.t.pauseSeconds, collectionId);
      if (!r.ticket) {
        this.emit({ kind: 'failed', action: 'pause', collectionId, message: 'Milvus returned no GC pause ticket' });
        return;
      }
      this.tickets.set(collectionId, { ticket: r.ticket, expiresAt: Date.now() + this.t.pauseSeconds * 1000 });
      this.emit({ kind: 'paused', scope: 'collection', collectionId, ticket: r.ticket });
    } catch (e) {
      this.emit({ kind: 'failed', action: 'pause', collectionId, message: msg(e) });
    }
  }

  async resumeCollection(collectionId: string): Promise<void> {
    const t = this.tickets.get(collectionId);
    if (!t) return;
    this.tickets.delete(collectionId);
    try {
      await resumeWithRetry(this.t, () => this.gw.resumeGc(t.ticket));
      this.emit({ kind: 'resumed', scope: 'collection', collectionId });
    } catch (e) {
      this.emit({ kind: 'failed', action: 'resume', collectionId, message: msg(e), pausedUntil: new Date(t.expiresAt), ticket: t.ticket });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const id of [...this.tickets.keys()]) await this.resumeCollection(id);
  }
}
