import type { BackupInfo, SegmentBackupInfo } from './types';

/**
 * Checks a parsed backup tree for what no Go tool writes and what could make a restore reach outside the backup
 * or fail after it changed Milvus: names Milvus would refuse (the restore then fails after CreateDatabase or
 * half-way through its collections) or that carry `/` and `..` into staging keys (`restore-temp-<id>-<db>-<coll>/`),
 * ids that are not positive, and paths with `..`, a leading `/` or NUL. Binlog keys of the backup are built from
 * the ids (backup/keys.ts), never from `log_path`, so a hostile `log_path` cannot point a restore into another
 * backup or Milvus's own root; it is refused anyway, as no Go tool writes one.
 *
 * Name rule: Milvus `internal/proxy/validate_util.go` (validateCollectionName, validateDatabaseName,
 * validatePartitionTag): a letter or `_` first, then letters, digits and `_`, at most 255 characters.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_NAME = 255;
const MAX_SHOWN = 5;

/** Why Milvus would refuse `name` as a database/collection/partition name, or undefined (also for targets of a restore). */
export function nameProblem(kind: string, name: string, where: string, allowEmpty = false): string | undefined {
  if (name === '' && allowEmpty) return undefined;
  if (name.length > MAX_NAME) return `${where}: ${kind} name is longer than ${MAX_NAME} characters`;
  if (!NAME.test(name)) return `${where}: ${kind} name ${JSON.stringify(name)} is not a Milvus name (a letter or _ first, then letters, digits, _)`;
  return undefined;
}

function pathProblem(path: string, where: string): string | undefined {
  if (path === '') return undefined;
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || path.split('/').some((p) => p === '..' || p === '.')) {
    return `${where}: path ${JSON.stringify(path)} has "..", ".", "\\", NUL or a leading "/"`;
  }
  return undefined;
}

function segmentProblems(s: SegmentBackupInfo, where: string, out: string[]): void {
  if (s.segmentId <= 0n) out.push(`${where}: segment id ${s.segmentId} is not positive`);
  if (s.partitionId <= 0n && s.partitionId !== -1n) out.push(`${where}: partition id ${s.partitionId} is neither positive nor -1`);
  if (s.numOfRows < 0n) out.push(`${where}: negative row count ${s.numOfRows}`);
  for (const list of [s.binlogs, s.deltalogs]) {
    for (const f of list) {
      if (f.fieldID < 0n) out.push(`${where}: negative field id ${f.fieldID}`);
      for (const b of f.binlogs) {
        if (b.logId < 0n) out.push(`${where}: negative log id ${b.logId}`);
        if (b.logSize < 0n) out.push(`${where}: negative log size ${b.logSize}`);
        const p = pathProblem(b.logPath, `${where} log ${b.logId}`);
        if (p) out.push(p);
      }
    }
  }
}

/** Every problem found (empty: the tree is sane). */
export function metaProblems(info: BackupInfo): string[] {
  const out: string[] = [];
  for (const d of info.databaseBackups ?? []) {
    const p = nameProblem('database', d.dbName, `database ${JSON.stringify(d.dbName)}`, true);
    if (p) out.push(p);
  }
  for (const c of info.collectionBackups) {
    const where = `collection ${JSON.stringify(`${c.dbName || 'default'}.${c.collectionName}`)}`;
    for (const p of [nameProblem('database', c.dbName, where, true), nameProblem('collection', c.collectionName, where)]) if (p) out.push(p);
    if (c.collectionId <= 0n) out.push(`${where}: collection id ${c.collectionId} is not positive`);
    for (const a of c.aliases ?? []) {
      const p = nameProblem('alias', a, where);
      if (p) out.push(p);
    }
    if (c.snapshotBackup) {
      const p = pathProblem(c.snapshotBackup.metadataPath, `${where} snapshot`);
      if (p) out.push(p);
    }
    for (const part of c.partitionBackups) {
      const pw = `${where} partition ${JSON.stringify(part.partitionName)}`;
      const p = nameProblem('partition', part.partitionName, pw);
      if (p) out.push(p);
      if (part.partitionId <= 0n) out.push(`${pw}: partition id ${part.partitionId} is not positive`);
      for (const s of part.segmentBackups) segmentProblems(s, `${pw} segment ${s.segmentId}`, out);
    }
    for (const s of c.l0Segments ?? []) segmentProblems(s, `${where} L0 segment ${s.segmentId}`, out);
  }
  return out;
}

/** The problems as one sentence for an `unreadable` catalog entry or an error. */
export function describeMetaProblems(problems: string[]): string {
  const shown = problems.slice(0, MAX_SHOWN).join('; ');
  return problems.length > MAX_SHOWN ? `${shown}; and ${problems.length - MAX_SHOWN} more` : shown;
}
