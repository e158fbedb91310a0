/** Version gates, by the Milvus release that introduced each behaviour (issue 5 item 7, spec §6.2). */
export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function atLeast(v: Version, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** Deletes go to L0 segments from 2.4 (before: delta logs inside the segments holding the rows). */
export const hasL0 = (v: Version) => atLeast(v, 2, 4);
/** Several L0 prefixes in one import job from 2.6.5. */
export const multiL0Import = (v: Version) => atLeast(v, 2, 6, 5);
/** Collection-level GC pause tickets from 2.6.8. */
export const collectionGcTickets = (v: Version) => atLeast(v, 2, 6, 8);
/** Two-phase import (Uncommitted → Committing) from 2.6. */
export const twoPhaseImport = (v: Version) => atLeast(v, 2, 6);

/**
 * storage_version Milvus reports: 2 (StorageV2, packed column groups) for segments written by 2.6, 0 (StorageV1)
 * before. The simulator keeps one directory per field id even for v2 (see README): the backup tool treats the
 * `<field>` path component the same either way (spec §2.1).
 */
export const storageVersionOf = (v: Version) => (atLeast(v, 2, 6) ? 2 : 0);

/** Segment level of segments flushed from growing data: L1 from 2.4 (when levels appeared), Legacy before. */
export const flushedLevel = (v: Version) => (hasL0(v) ? 'L1' : 'Legacy') as 'L1' | 'Legacy';
