import type { Raw } from '../milvus/gateway';
import { encodeMessage, MSG_POSITION } from '../milvus/proto';
import { newBackupInfo, newDatabaseBackupInfo, newRBACMeta } from '../meta/create';
import type {
  BackupInfo, CollectionBackupInfo, DatabaseBackupInfo, GrantEntity, KeyValuePair, PartitionBackupInfo, RBACMeta,
  SegmentBackupInfo,
} from '../meta/types';
import { big } from './ddl';
import { ALL_PARTITIONS } from '../layout';

/**
 * Accumulates the backup's meta tree (Go `meta_builder.go`) while collections are processed concurrently,
 * and hands the finished BackupInfo to the meta writer. Segment placement is Go's: an L0 segment of
 * partition −1 goes to the collection's `l0_segments`; every other segment (incl. partition-scoped L0) to its
 * partition; sizes add up into partition, collection and backup. A segment whose partition is unknown is
 * skipped with a warning (Milvus bugs #47145/#47154), as Go does.
 */
export class MetaBuilder {
  private readonly info: BackupInfo;
  private readonly collections = new Map<bigint, CollectionBackupInfo>();
  private readonly partitions = new Map<string, PartitionBackupInfo>();
  /** Enumeration order of `db.collection`, so the meta lists collections deterministically. */
  private readonly order: string[] = [];

  constructor(taskId: string, name: string, private readonly warn: (m: string) => void = () => {}) {
    this.info = newBackupInfo({ id: taskId, name });
  }

  setOrder(namespaces: string[]): void {
    this.order.splice(0, this.order.length, ...namespaces);
  }

  setVersion(v: string): void {
    this.info.milvusVersion = v;
  }

  addDatabase(db: DatabaseBackupInfo): void {
    this.info.databaseBackups.push(db);
  }

  addCollection(c: CollectionBackupInfo): void {
    this.info.collectionBackups.push(c);
    this.collections.set(c.collectionId, c);
    for (const p of c.partitionBackups) this.partitions.set(`${c.collectionId}/${p.partitionId}`, p);
  }

  /** Serial flush: per-collection checkpoints (vchannel → base64 MsgPosition), max checkpoint ts, seal time. */
  addFlushPosition(collectionId: bigint, checkpoints: Record<string, Raw>, sealTimeSec: bigint): void {
    const c = this.mustCollection(collectionId);
    const cps: Record<string, string> = {};
    let max = 0n;
    for (const [vch, pos] of Object.entries(checkpoints)) {
      cps[vch] = encodeMessage(MSG_POSITION, pos as Record<string, unknown>).toString('base64');
      const ts = big((pos as Raw).timestamp);
      if (ts > max) max = ts;
    }
    c.channelCheckpoints = cps;
    c.backupTimestamp = max;
    c.backupPhysicalTimestamp = sealTimeSec;
  }

  setFlushAll(controlChannel: string, pchannels: string[], msgsBase64: Record<string, string>): void {
    this.info.controlChannelName = controlChannel;
    this.info.physicalChannelNames = pchannels;
    this.info.flushAllMsgsBase64 = msgsBase64;
  }

  addSegments(segments: SegmentBackupInfo[]): void {
    for (const s of segments) {
      const c = this.mustCollection(s.collectionId);
      // Go counts the bytes before placing the segment: a skipped segment's files are still copied.
      this.info.size += s.size;
      c.size += s.size;
      if (s.isL0 && s.partitionId === ALL_PARTITIONS) {
        c.l0Segments.push(s);
      } else {
        const p = this.partitions.get(`${s.collectionId}/${s.partitionId}`);
        if (!p) {
          this.warn(
            `segment ${s.segmentId} of collection ${c.dbName}.${c.collectionName} belongs to unknown partition ${s.partitionId}; ` +
              'skipped (a known Milvus bug, milvus#47145)',
          );
          continue;
        }
        p.segmentBackups.push(s);
        p.size += s.size;
      }
    }
  }

  setRpcChannel(name: string, position: string): void {
    this.info.rpcChannelInfo = { name, position };
  }

  setRbac(rbac: RBACMeta): void {
    this.info.rbacMeta = rbac;
  }

  build(): BackupInfo {
    if (this.order.length > 0) {
      const rank = new Map(this.order.map((ns, i) => [ns, i]));
      const r = (c: CollectionBackupInfo) => rank.get(`${c.dbName}.${c.collectionName}`) ?? Number.MAX_SAFE_INTEGER;
      this.info.collectionBackups.sort((a, b) => r(a) - r(b));
    }
    return this.info;
  }

  private mustCollection(id: bigint): CollectionBackupInfo {
    const c = this.collections.get(id);
    if (!c) throw new Error(`internal: collection ${id} has no DDL in the backup meta`);
    return c;
  }
}

export function databaseInfo(db: string, dbId: string | bigint, properties: KeyValuePair[], ezk = ''): DatabaseBackupInfo {
  return newDatabaseBackupInfo({ dbName: db, dbId: big(dbId), properties, ezk });
}

/** BackupRBAC's `RBAC_meta` → the meta's RBACMeta (user passwords as Milvus returned them). */
export function convRbac(r: Raw): RBACMeta {
  const name = (x: Raw | undefined) => (x ? { name: String(x.name ?? '') } : undefined);
  return newRBACMeta({
    users: ((r.users ?? []) as Raw[]).map((u) => ({
      user: String(u.user ?? ''),
      password: String(u.password ?? ''),
      roles: ((u.roles ?? []) as Raw[]).map((x) => ({ name: String(x.name ?? '') })),
    })),
    roles: ((r.roles ?? []) as Raw[]).map((x) => ({ name: String(x.name ?? '') })),
    grants: ((r.grants ?? []) as Raw[]).map(
      (g): GrantEntity => ({
        role: name(g.role),
        object: name(g.object),
        objectName: String(g.object_name ?? ''),
        grantor: g.grantor ? { user: name(g.grantor.user), privilege: name(g.grantor.privilege) } : undefined,
        dbName: String(g.db_name ?? ''),
      }),
    ),
    privilegeGroups: ((r.privilege_groups ?? []) as Raw[]).map((pg) => ({
      groupName: String(pg.group_name ?? ''),
      privileges: ((pg.privileges ?? []) as Raw[]).map((x) => ({ name: String(x.name ?? '') })),
    })),
  });
}
