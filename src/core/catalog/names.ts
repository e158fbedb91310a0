import { UserError } from '../errors';

/**
 * Backup names (Go `core/backup/func.go`): `[A-Za-z_][A-Za-z0-9_]*`, at most 128 characters.
 * The name is a folder under the backup root, so anything else (a `/`, `..`, spaces) could reach outside it.
 */
const MAX_BACKUP_NAME_LENGTH = 128;

/** Throws a UserError (code `invalid-backup-name`) saying what is wrong with `name`. */
export function validateBackupName(name: string): void {
  const bad = (why: string) => new UserError(`invalid backup name ${JSON.stringify(name)}: ${why}`, 'invalid-backup-name');
  if (name === '') throw bad('it is empty');
  if (/\s/.test(name)) throw bad('it must not contain whitespace');
  if (name.length > MAX_BACKUP_NAME_LENGTH) throw bad(`it is longer than ${MAX_BACKUP_NAME_LENGTH} characters`);
  if (!/^[A-Za-z_]/.test(name)) throw bad('it must start with a letter or an underscore');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw bad('only letters, digits and underscores are allowed');
}

/**
 * The Go tool's default name: `backup_<UTC YYYY_MM_DD_HH_MM_SS>_<nanoseconds of the second>` (unpadded).
 * JS clocks give milliseconds; `nanosecond` (0…999999999) may be passed for the finer part, else the
 * milliseconds are scaled and sub-millisecond digits taken from the high-resolution clock so two names made in
 * the same millisecond still differ.
 */
export function defaultBackupName(now: Date = new Date(), nanosecond?: number): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date =
    `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_` +
    `${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}`;
  const ns = nanosecond ?? now.getUTCMilliseconds() * 1_000_000 + Number(process.hrtime.bigint() % 1_000_000n);
  return `backup_${date}_${ns}`;
}
