import { getBackup } from '../catalog/catalog';
import { backupDirPrefix, type Location } from '../layout';
import { expectedBinlogs, verifyBackup, type VerifyBackupResult } from '../catalog/verifyBackup';
import { linkedAbortController } from '../jobs/abort';
import { mapLimit } from '../jobs/limit';
import { md5Of, readChecksums } from './checksums';

/**
 * `milvus-backup verify -n NAME [--deep]`: the shallow check (catalog/verifyBackup: every binlog the meta
 * names is present with its recorded size), and with `deep` every object read back and compared with the
 * checksum recorded at backup time (verify/checksums.ts) — restic's `check --read-data`. Backups without a
 * checksums file (the Go tool's, or older ones) say "no checksums recorded" and are checked for size only.
 */

export interface DeepCheck {
  /** `none-recorded`: the backup has no checksums file. */
  checksums: 'recorded' | 'none-recorded';
  /** Objects read and compared. */
  checked: number;
  bytesRead: number;
  /** `key: why` for objects whose content does not match (or could not be read). */
  mismatched: string[];
  /** Objects the meta names that have no recorded checksum (only size-checked). */
  unrecorded: string[];
}

export interface VerifyReport extends VerifyBackupResult {
  deep?: DeepCheck;
}

export interface VerifyOptions {
  deep?: boolean;
  signal?: AbortSignal;
  /** Objects read in parallel by the deep check (default 8). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function verifyBackupReport(loc: Location, name: string, o: VerifyOptions = {}): Promise<VerifyReport> {
  const { info } = await getBackup(loc, name, { signal: o.signal });
  const shallow = await verifyBackup(loc, name, { signal: o.signal, info });
  if (!o.deep) return shallow;
  const dir = backupDirPrefix(loc.rootPath, name);
  const at = { store: loc.store, bucket: loc.bucket };
  const sums = await readChecksums(at, dir, o.signal);
  const deep: DeepCheck = { checksums: sums ? 'recorded' : 'none-recorded', checked: 0, bytesRead: 0, mismatched: [], unrecorded: [] };
  if (!sums) {
    shallow.notes.push('no checksums recorded: this backup was made without them (e.g. by the Go tool); sizes checked only');
    return { ...shallow, deep };
  }
  const missing = new Set(shallow.collections.flatMap((c) => c.missing));
  const work: Array<{ key: string; size: number; md5: string }> = [];
  for (const c of info.collectionBackups) {
    for (const [key] of expectedBinlogs(dir, c)) {
      if (missing.has(key)) continue; // already reported as missing
      const rec = Object.prototype.hasOwnProperty.call(sums.objects, key.slice(dir.length)) ? sums.objects[key.slice(dir.length)] : undefined;
      if (!rec) deep.unrecorded.push(key);
      else work.push({ key, size: rec.size, md5: rec.md5 });
    }
  }
  let done = 0;
  const link = linkedAbortController(o.signal);
  const fan = { signal: link.controller.signal, release: link.unlink };
  await mapLimit(work, o.concurrency ?? 8, async (w) => {
    try {
      const got = await md5Of(at, w.key, fan.signal);
      deep.bytesRead += got.size;
      if (got.size !== w.size) deep.mismatched.push(`${w.key}: ${got.size} bytes read, ${w.size} recorded`);
      else if (got.md5 !== w.md5) deep.mismatched.push(`${w.key}: content MD5 ${got.md5}, recorded ${w.md5}`);
    } catch (e) {
      deep.mismatched.push(`${w.key}: could not be read: ${(e as Error).message}`);
    }
    deep.checked++;
    o.onProgress?.(++done, work.length);
  }, fan.signal).finally(() => fan.release());
  deep.mismatched.sort();
  const ok = shallow.ok && deep.mismatched.length === 0;
  return { ...shallow, ok, deep };
}

/** The report as lines for a terminal; the last line is the verdict. */
export function formatVerifyReport(r: VerifyReport): string[] {
  const lines: string[] = [];
  for (const c of r.collections) {
    const bad = c.missing.length + c.wrongSize.length;
    lines.push(`${c.name}: ${c.foundObjects}/${c.expectedObjects} object(s) present${bad ? `, ${c.missing.length} missing, ${c.wrongSize.length} with the wrong size` : ', sizes match'}`);
    for (const k of c.missing.slice(0, 20)) lines.push(`  missing: ${k}`);
    for (const k of c.wrongSize.slice(0, 20)) lines.push(`  wrong size: ${k}`);
  }
  if (r.deep) {
    if (r.deep.checksums === 'none-recorded') lines.push('deep: no checksums recorded for this backup (sizes checked only)');
    else {
      lines.push(`deep: ${r.deep.checked} object(s) read (${r.deep.bytesRead} bytes), ${r.deep.mismatched.length} mismatch(es)`);
      for (const m of r.deep.mismatched.slice(0, 20)) lines.push(`  mismatch: ${m}`);
      if (r.deep.unrecorded.length) lines.push(`  ${r.deep.unrecorded.length} object(s) with no recorded checksum (size checked only)`);
    }
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(r.ok ? `backup ${r.name}: OK` : `backup ${r.name}: FAILED verification`);
  return lines;
}
