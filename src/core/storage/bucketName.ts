import { UserError } from '../errors';

/**
 * S3 bucket naming rules (3–63 chars of lowercase letters, digits, `-` and `.`, starting and ending with a
 * letter or digit, no `..`, not an IP address). MinIO, AWS and Ceph RGW enforce them and minio-js rejects a
 * bad name before sending anything, so we say why up front in words a user can act on. The Milvus docs'
 * `bucket_A`/`bucket_B` are only illustrations and fail everywhere.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the bucket name is empty';
  if (/[A-Z_]/.test(name)) {
    const hint = name.toLowerCase().replace(/_/g, '-');
    return (
      `bucket names may not contain uppercase letters or underscores` +
      (/^bucket_[ab]$/i.test(name) ? `; the Milvus docs' ${name} is an illustration` : '') +
      ` — use e.g. ${hint}`
    );
  }
  if (name.length < 3 || name.length > 63) return `bucket names must be 3 to 63 characters long (this one has ${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'bucket names may contain only lowercase letters, digits, "-" and "."';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'bucket names must start and end with a letter or digit';
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return 'bucket names may not contain "..", ".-" or "-."';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'bucket names may not look like an IP address';
  return undefined;
}

/** Throws a UserError (code `invalid-bucket-name`) naming the bucket and the rule it breaks. */
export function checkBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw new UserError(`invalid bucket name "${name}": ${problem}`, 'invalid-bucket-name');
}
