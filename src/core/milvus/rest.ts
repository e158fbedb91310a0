import type { ImportProgress, RestSegmentInfo } from './gateway';
import { httpJson } from './http';
import { MilvusError } from './status';

/**
 * Milvus REST v2 (served on the proxy's gRPC port): the calls the SDK lacks — `segments/describe` for exact
 * binlog lists (≥ 2.5.8) and `jobs/import/*` for merged multi-segment imports. Auth: bearer `user:password`.
 */
export class MilvusRest {
  constructor(
    private readonly baseUrl: string,
    private readonly auth?: { user?: string; password?: string },
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.auth?.user) h.authorization = `Bearer ${this.auth.user}:${this.auth.password ?? ''}`;
    return h;
  }

  private async post(path: string, body: unknown, o: { signal?: AbortSignal; headers?: Record<string, string> } = {}) {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/v2/vectordb/${path}`;
    const r = await httpJson('POST', url, { body, headers: this.headers(o.headers), signal: o.signal });
    if (r && typeof r.code === 'number' && r.code !== 0 && r.code !== 200) {
      throw new MilvusError(`REST ${path}`, 'UnexpectedError', r.code, r.message ?? r.reason ?? JSON.stringify(r));
    }
    return r;
  }

  async describeSegments(dbName: string, collectionId: string, segmentIds: string[], signal?: AbortSignal): Promise<RestSegmentInfo[]> {
    // Ids beyond 2^53 must go out as bare JSON numbers; build that JSON by hand rather than lose precision.
    const r = await this.post(
      'segments/describe',
      `{"dbName":${JSON.stringify(dbName)},"collectionId":${BigInt(collectionId)},"segmentIds":[${segmentIds.map((s) => BigInt(s).toString()).join(',')}]}`,
      { signal },
    );
    const infos: any[] = r?.data?.segmentInfos ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
    return infos.map((s) => ({
      segmentId: String(s.segmentID ?? s.segmentId),
      collectionId: String(s.collectionID ?? s.collectionId ?? collectionId),
      partitionId: String(s.partitionID ?? s.partitionId),
      vChannel: String(s.vChannel ?? s.channel ?? ''),
      level: String(s.level ?? ''),
      numRows: Number(s.numRows ?? s.num_rows ?? 0),
      state: String(s.state ?? ''),
      isSorted: Boolean(s.isSorted),
      insertLogs: (s.insertLogs ?? []).map(fieldLogs),
      deltaLogs: (s.deltaLogs ?? []).map(fieldLogs),
    }));
  }

  async importCreate(dbName: string, collectionName: string, partitionName: string, files: string[][], options: Record<string, string>): Promise<string> {
    const r = await this.post(
      'jobs/import/create',
      { dbName, collectionName, partitionName, files, options },
      { headers: { 'Request-Timeout': '600' } },
    );
    const id = r?.data?.jobId;
    if (id === undefined || id === null || id === '') throw new Error(`REST jobs/import/create returned no jobId: ${JSON.stringify(r)}`);
    return String(id);
  }

  async importDescribe(dbName: string, jobId: string): Promise<ImportProgress> {
    let r;
    try {
      r = await this.post('jobs/import/describe', { dbName, jobId });
    } catch (e) {
      // Older servers only have get_progress (the SDK's HttpClient uses it).
      r = await this.post('jobs/import/get_progress', { dbName, jobId }).catch(() => {
        throw e;
      });
    }
    const d = r?.data ?? {};
    const state = String(d.state ?? '');
    return {
      state,
      done: state === 'Completed',
      failed: state === 'Failed',
      progress: Number(d.progress ?? 0),
      reason: String(d.reason ?? ''),
      importedRows: d.importedRows !== undefined ? Number(d.importedRows) : undefined,
    };
  }
}

function fieldLogs(f: any): { fieldId: string; logIds: string[] } { // eslint-disable-line @typescript-eslint/no-explicit-any
  return { fieldId: String(f.fieldID ?? f.fieldId ?? 0), logIds: (f.logIDs ?? f.logIds ?? []).map(String) };
}
