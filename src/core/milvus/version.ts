/**
 * Milvus version parsing and the feature flags derived from it (the Go tool's
 * internal/client/milvus/grpc.go). Unparsable versions count as 99.0.0 — every feature on — as the Go tool
 * does, so a dev build or a cloud service is not crippled by its odd version string.
 */
export interface ServerVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
  /** false when `raw` did not parse and 99.0.0 was assumed. */
  parsed: boolean;
}

export function parseVersion(raw: string): ServerVersion {
  const s = raw.trim();
  // Strict vX.Y.Z (a 4th hotfix part is collapsed), as v0.5.16 does.
  let m = /^v?(\d+)\.(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(s);
  if (m) return { raw, major: +m[1], minor: +m[2], patch: +m[3], parsed: true };
  // main: X.Y[.Z] at the start or after "Milvus" (dev tags "2.6-20260404-xxx", "Compatible with Milvus 2.6").
  m = /(?:^|Milvus\s+)v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(s);
  if (m) return { raw, major: +m[1], minor: +m[2], patch: m[3] !== undefined ? +m[3] : 9999, parsed: true };
  return { raw, major: 99, minor: 0, patch: 0, parsed: false };
}

export function atLeast(v: ServerVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export interface FeatureFlags {
  /** ListDatabases answered (≥ 2.2.9); else only `default` exists. Set from the probe, not the version. */
  multiDatabase: boolean;
  describeDatabase: boolean;
  /** REST `segments/describe` gives exact binlog lists. */
  getSegmentInfo: boolean;
  replicateMessage: boolean;
  multiL0InOneJob: boolean;
  collectionLevelGC: boolean;
  funcRuntimeCheck: boolean;
  flushAll: boolean;
  /** Milvus ≥ 2.4 has L0 segments and the Import v2 framework (merged multi-segment imports). */
  l0Segments: boolean;
  /**
   * REST `/v2/vectordb/jobs/import/*` (Milvus ≥ 2.4, the Import v2 framework). Before that only the gRPC
   * `Import` with the `backup` option exists: one segment's [insert dir, delta dir] per call.
   */
  restImportJobs: boolean;
}

export function featuresOf(v: ServerVersion, multiDatabase = true): FeatureFlags {
  return {
    multiDatabase,
    describeDatabase: atLeast(v, 2, 4, 3),
    getSegmentInfo: atLeast(v, 2, 5, 8),
    replicateMessage: atLeast(v, 2, 5, 0) && !atLeast(v, 2, 6, 0),
    multiL0InOneJob: atLeast(v, 2, 6, 5),
    collectionLevelGC: atLeast(v, 2, 6, 8),
    funcRuntimeCheck: atLeast(v, 2, 6, 8),
    flushAll: atLeast(v, 2, 6, 11),
    l0Segments: atLeast(v, 2, 4, 0),
    restImportJobs: atLeast(v, 2, 4, 0),
  };
}

/** The oldest restore target: Milvus 2.3 (gRPC Import with the `backup` option; see restore/importV1.ts). */
export const OLDEST_RESTORE_TARGET = { major: 2, minor: 3 } as const;

/**
 * Whether a backup taken from `source` can be restored into `target` (the Go tool's README compatibility table:
 * only to the same or a newer minor). Targets from Milvus 2.3 on: the Go tool v0.5.16 restores into a real
 * 2.3.5 through gRPC Import (core/restore/coll_task.go restoreDataV1 → bulkInsertViaGrpc), and so do we; 2.2
 * and older are untested.
 */
export function restoreCompatibility(source: ServerVersion | undefined, target: ServerVersion): { ok: boolean; reason?: string } {
  const { major, minor } = OLDEST_RESTORE_TARGET;
  if (!atLeast(target, major, minor, 0)) {
    return { ok: false, reason: `restoring into Milvus ${target.raw} is not supported: the target must be Milvus ${major}.${minor} or newer` };
  }
  if (source && source.parsed && target.parsed) {
    const older = target.major < source.major || (target.major === source.major && target.minor < source.minor);
    if (older) {
      return { ok: false, reason: `a backup from Milvus ${source.raw} can only be restored into the same or a newer minor version (target is ${target.raw})` };
    }
  }
  return { ok: true };
}
