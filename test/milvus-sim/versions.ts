/**
 * `--version` decides which RPCs, REST routes and behaviours exist, as they appeared in Milvus releases.
 * Sources: Milvus release notes (https://milvus.io/docs/release_notes.md) and the feature gates the Go
 * milvus-backup derives from the version (internal/client/milvus/grpc.go; spec §6.2).
 */
export interface SimVersion {
  major: number;
  minor: number;
  patch: number;
  /** As given, e.g. "v2.5.14"; returned by GetVersion and Connect's build_tags. */
  tag: string;
}

export function parseVersion(v: string): SimVersion {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) throw new Error(`--version must look like v2.5.14, got "${v}"`);
  const tag = v.startsWith('v') ? v : `v${v}`;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), tag };
}

export function atLeast(v: SimVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export interface Features {
  /** DescribeDatabase RPC (2.4.3). */
  describeDatabase: boolean;
  /** Deletes go to L0 segments (2.4). */
  l0: boolean;
  /** REST v2 `/v2/vectordb/...` (2.4). */
  restV2: boolean;
  /** REST `segments/describe` (2.5.8). */
  segmentsDescribe: boolean;
  /** Several L0 files per import job (2.6.5). */
  multiL0Import: boolean;
  /** Collection-level GC pause with tickets (2.6.8). */
  collectionGcTickets: boolean;
  /** FlushAll / GetFlushAllState as the backup tool uses them (2.6.11). */
  flushAll: boolean;
  /** RBAC backup/restore and privilege groups (2.5). */
  rbacBackup: boolean;
  /** AddCollectionField (2.6). */
  addField: boolean;
  /** Import jobs pass through Uncommitted → Committing (2.6). */
  twoPhaseImport: boolean;
}

export function featuresOf(v: SimVersion): Features {
  return {
    describeDatabase: atLeast(v, 2, 4, 3),
    l0: atLeast(v, 2, 4),
    restV2: atLeast(v, 2, 4),
    segmentsDescribe: atLeast(v, 2, 5, 8),
    multiL0Import: atLeast(v, 2, 6, 5),
    collectionGcTickets: atLeast(v, 2, 6, 8),
    flushAll: atLeast(v, 2, 6, 11),
    rbacBackup: atLeast(v, 2, 5),
    addField: atLeast(v, 2, 6),
    twoPhaseImport: atLeast(v, 2, 6),
  };
}

/** RPCs a given version does not serve at all: grpc-go answers UNIMPLEMENTED for unknown methods. */
export function missingRpcs(v: SimVersion): Set<string> {
  const f = featuresOf(v);
  const out = new Set<string>();
  if (!f.describeDatabase) out.add('DescribeDatabase');
  if (!f.flushAll) {
    out.add('FlushAll');
    out.add('GetFlushAllState');
  }
  if (!f.rbacBackup) {
    for (const m of ['BackupRBAC', 'RestoreRBAC', 'CreatePrivilegeGroup', 'DropPrivilegeGroup', 'ListPrivilegeGroups', 'OperatePrivilegeGroup', 'OperatePrivilegeV2']) out.add(m);
  }
  if (!f.addField) out.add('AddCollectionField');
  if (!atLeast(v, 2, 4)) out.add('AlterDatabase');
  return out;
}
