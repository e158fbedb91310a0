/** Small display helpers shared by the tree and the commands. */

import { formatBytes } from '../core/bytes';
import type { BackupListEntry } from '../core/catalog';
import { collectionCounts, qualifiedName, type CollectionBackupInfo } from '../core/meta';

export { formatBytes };

/** `2026-11-25 14:03` in local time: short enough for a tree description, sortable, unambiguous. */
export function formatDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** One line for a backup in the tree and the pickers: `1.2 MiB · 2026-11-25 14:03 · Milvus v2.5.14`. */
export function describeBackupEntry(e: BackupListEntry): string {
  if (e.incomplete) return `incomplete: ${e.problem ?? e.state}`;
  const parts = [formatBytes(e.size)];
  if (e.writtenAt) parts.push(formatDateTime(e.writtenAt));
  parts.push(`Milvus ${e.milvusVersion || '?'}`);
  return parts.join(' · ');
}

/** A count as every view shows it: `2,000` (one grouping, whatever the host's locale). */
export function formatCount(n: number | bigint): string {
  return n.toLocaleString('en-US');
}

/** A local date and time for tooltips: `2026-11-25 14:03:07 (UTC+01:00)`, the zone said, since the server's may differ. */
export function formatLocalTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = `UTC${off >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${formatDateTime(d)}:${p(d.getSeconds())} (${zone})`;
}

/** Newest first (the backup a user looks for is usually the last one); undated leftovers after, by name. */
export function newestFirst<T extends { name: string; writtenAt?: Date }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => {
    const ta = a.writtenAt?.getTime() ?? -Infinity;
    const tb = b.writtenAt?.getTime() ?? -Infinity;
    return ta !== tb ? tb - ta : b.name.localeCompare(a.name);
  });
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Milvus hybrid timestamps keep the physical time in ms above the 18 logical bits. */
export function tsoToDate(tso: bigint): Date | undefined {
  if (tso <= 0n) return undefined;
  return new Date(Number(tso >> 18n));
}

/** A backed-up collection in the tree: `150 rows · 4 segments · 1.2 MiB` (counted by core/meta/counts.ts). */
export function describeBackupCollection(c: CollectionBackupInfo): string {
  const n = collectionCounts(c);
  return `${formatCount(n.rows)} rows · ${plural(n.segments, 'segment')} · ${formatBytes(n.bytes)}`;
}

/** A backed-up collection's row of the details page's Markdown table (Collection, Partitions, Segments, Rows, Size, Indexes). */
export function backupCollectionRow(c: CollectionBackupInfo): string {
  const n = collectionCounts(c);
  const idx = c.indexInfos.map((i) => `${i.fieldName}: ${i.indexType}`).join(', ');
  return `| ${qualifiedName(c)} | ${n.partitions} | ${n.segments} | ${formatCount(n.rows)} | ${formatBytes(n.bytes)} | ${idx} |`;
}
