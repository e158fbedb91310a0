/**
 * GC pause control, as datacoord's management endpoints expose it
 * (`/management/datacoord/garbage_collection/pause?pause_seconds=N[&collection_id=C]` and `/resume`):
 *  - cluster-wide pause until now + N s (every Milvus version); resume clears it;
 *  - from 2.6.8, pause with a collection id returns a ticket that holds GC off for that collection only until it
 *    expires or is resumed with `ticket=` (spec §3.2). Before 2.6.8 the collection id is ignored: it is a
 *    cluster-wide pause, no ticket.
 * Pauses expire by themselves after their seconds, as in Milvus.
 */
import { randomUUID } from 'node:crypto';
import { collectionGcTickets, Version } from './version';

export interface GcControlState {
  clusterPausedUntil: number; // epoch ms
  tickets: Record<string, { collectionId: string; until: number }>;
}

export class GcControl {
  private s: GcControlState;

  constructor(
    private readonly version: Version,
    state: GcControlState | undefined,
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.s = state ?? { clusterPausedUntil: 0, tickets: {} };
  }

  state(): GcControlState {
    return this.s;
  }

  pause(seconds: number, collectionId?: string): { ticket?: string } {
    if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`invalid pause_seconds ${seconds}`);
    const until = this.now() + seconds * 1000;
    if (collectionId && collectionId !== '0' && collectionGcTickets(this.version)) {
      const ticket = randomUUID();
      this.s.tickets[ticket] = { collectionId, until };
      this.onChange();
      return { ticket };
    }
    this.s.clusterPausedUntil = Math.max(this.s.clusterPausedUntil, until);
    this.onChange();
    return {};
  }

  /** With a ticket: releases that ticket. With only a collection id (2.6.8+): all its tickets. Else: the cluster pause. */
  resume(ticket?: string, collectionId?: string): void {
    if (ticket) {
      delete this.s.tickets[ticket];
    } else if (collectionId && collectionId !== '0' && collectionGcTickets(this.version)) {
      for (const [t, v] of Object.entries(this.s.tickets)) if (v.collectionId === collectionId) delete this.s.tickets[t];
    } else {
      this.s.clusterPausedUntil = 0;
    }
    this.onChange();
  }

  /** True when GC must not touch this collection's files now. */
  isPaused(collectionId: string): boolean {
    const now = this.now();
    if (this.s.clusterPausedUntil > now) return true;
    let changed = false;
    let paused = false;
    for (const [t, v] of Object.entries(this.s.tickets)) {
      if (v.until <= now) {
        delete this.s.tickets[t];
        changed = true;
      } else if (v.collectionId === collectionId) paused = true;
    }
    if (changed) this.onChange();
    return paused;
  }
}
