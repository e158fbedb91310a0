import { UserError } from '../errors';

/**
 * The one bucket-name rule: what the engine refuses before sending anything, and what the editor and
 * `config validate` report as an error (core/config/checks.ts calls this).
 *
 * S3-style providers (minio, s3, aws, gcp through its S3 interop, aliyun, tencent, hwc) go through minio-js,
 * which refuses a name outside 3–63 lower-case letters, digits, `.` and `-`, starting and ending with a letter
 * or digit, with `..` or formatted as an IP address (minio-js `isValidBucketName`); the Go tool's minio-go
 * refuses `.-` and `-.` too (`s3utils.CheckValidBucketNameStrict`), and AWS reserves `xn--`, `-s3alias` and
 * `--ol-s3`. Native Google Cloud Storage (`gcpnative`) also allows `_` (and 222 characters with dots); Azure
 * containers are lower-case letters, digits and single hyphens. `local` has no buckets.
 * The Milvus docs' `bucket_A`/`bucket_B` are only illustrations and fail everywhere.
 */
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Returns why `name` is not a valid bucket for `provider`, or undefined when it is (or the provider has no buckets). */
export function bucketNameProblem(provider: string, name: string): string | undefined {
  if (provider === 'local') return undefined;
  if (name === '') return 'the bucket name is empty';
  if (provider === 'azure') return azureContainerProblem(name);
  const gcs = provider === 'gcpnative';
  const max = gcs && name.includes('.') ? 222 : 63;
  const who = gcs ? 'Google Cloud Storage rejects it' : 'S3 and MinIO reject it';
  if (name.length < 3 || name.length > max) return `"${name}" is ${name.length} characters long; bucket names have 3–${max} (${who})`;
  const chars = gcs ? /^[a-z0-9._-]+$/ : /^[a-z0-9.-]+$/;
  if (!chars.test(name)) {
    const bad = [...new Set(name.replace(gcs ? /[a-z0-9._-]/g : /[a-z0-9.-]/g, ''))].map((c) => JSON.stringify(c)).join(', ');
    return (
      `"${name}" contains ${bad}: bucket names may only use lower-case letters, digits, dots and hyphens${gcs ? ' and underscores' : ''} (${who})` +
      (/^bucket_[ab]$/i.test(name) ? `; the Milvus docs' ${name} is an illustration` : '') +
      suggestion(name, gcs)
    );
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return `"${name}" must start and end with a letter or digit (${who})`;
  if (name.includes('..')) return `"${name}" contains ".." (${who})`;
  if (!gcs && (name.includes('.-') || name.includes('-.'))) return `"${name}" contains ".-" or "-." (${who})`;
  if (IPV4.test(name)) return `"${name}" is formatted as an IP address (${who})`;
  if (!gcs && (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3'))) return `"${name}" uses a prefix or suffix S3 reserves (${who})`;
  return undefined;
}

/** ` — use e.g. my-bucket` when lower-casing (and, for S3, `_` → `-`) gives a valid name. */
function suggestion(name: string, gcs: boolean): string {
  const hint = gcs ? name.toLowerCase() : name.toLowerCase().replace(/_/g, '-');
  return hint !== name && /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(hint) ? ` — use e.g. ${hint}` : '';
}

function azureContainerProblem(name: string): string | undefined {
  if (name === '$root') return undefined;
  if (name.length < 3 || name.length > 63) return `"${name}" is ${name.length} characters long; Azure container names have 3–63`;
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name)) {
    return `"${name}" is not a valid Azure container name (lower-case letters, digits and single hyphens, starting and ending with a letter or digit)`;
  }
  return undefined;
}

/**
 * Throws a UserError (code `invalid-bucket-name`) naming the bucket and the rule it breaks. The provider is
 * required: every store checks its names by its own provider's rule.
 */
export function checkBucketName(provider: string, name: string): void {
  const problem = bucketNameProblem(provider, name);
  if (problem) throw new UserError(`invalid bucket name: ${problem}`, 'invalid-bucket-name');
}
