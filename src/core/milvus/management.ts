import { httpJson } from './http';

/**
 * Milvus's management HTTP API (port 9091): GC pause and resume (Go `internal/client/milvus/manage.go`, `core/backup/gc_controller.go`). Below 2.6.8 the pause is
 * cluster-wide (`collection_id=0`); from 2.6.8 a pause names one collection and returns a ticket that the
 * resume must quote. Failures are the caller's to treat as warnings.
 */
export class ManagementClient {
  constructor(private readonly baseUrl: string) {}

  async pauseGc(seconds: number, collectionId?: string): Promise<{ ticket?: string }> {
    const q = new URLSearchParams({ pause_seconds: String(seconds), collection_id: collectionId ?? '0' });
    const r = await httpJson('GET', `${this.base()}/management/datacoord/garbage_collection/pause?${q}`);
    // The Go tool reads a top-level `ticket`; some builds wrap it as `data.ticket`: accept both.
    const t = r?.ticket ?? r?.data?.ticket;
    const ticket = t !== undefined && t !== null && String(t) !== '' ? String(t) : undefined;
    if (r && typeof r.msg === 'string' && r.msg !== 'OK' && !ticket) throw new Error(`GC pause refused: ${r.msg}`);
    return { ticket };
  }

  async resumeGc(ticket?: string): Promise<void> {
    const q = ticket ? `?${new URLSearchParams({ ticket })}` : '';
    const r = await httpJson('GET', `${this.base()}/management/datacoord/garbage_collection/resume${q}`);
    if (r && typeof r.msg === 'string' && r.msg !== 'OK') throw new Error(`GC resume refused: ${r.msg}`);
  }

  /** Encryption-zone key of a database (`cipher.ezID` + `cipher.key` properties set), for the backup meta's `ezk`. */
  async backupEzk(db: string): Promise<string> {
    const r = await httpJson('GET', `${this.base()}/management/rootcoord/ez/backup?${new URLSearchParams({ db_name: db })}`);
    if (!r || r.msg !== 'OK' || typeof r.ezk !== 'string') throw new Error(`encryption key backup refused: ${r?.msg ?? 'no answer'}`);
    return r.ezk;
  }

  private base(): string {
    return this.baseUrl.replace(/\/+$/, '');
  }
}
