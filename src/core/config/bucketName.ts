/**
 * Bucket-name rules of the object stores, so a name the server will reject is caught while editing instead of
 * at the first backup. S3 (and MinIO, which follows it): 3–63 characters, lower-case letters, digits, dots and
 * hyphens, starting and ending with a letter or digit, no `..`, not an IP address. GCS additionally allows `_`.
 * Azure containers: lower-case letters, digits and single hyphens.
 */
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Returns why `name` is not a valid bucket for `provider`, or undefined when it is (or the provider has no buckets). */
export function bucketNameProblem(provider: string, name: string): string | undefined {
  if (provider === 'local') return undefined;
  if (name === '') return 'the bucket name is empty';
  if (provider === 'azure') {
    if (name === '$root') return undefined;
    if (name.length < 3 || name.length > 63) return `"${name}" is ${name.length} characters long; Azure container names have 3–63`;
    if (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name)) {
      return `"${name}" is not a valid Azure container name (lower-case letters, digits and single hyphens, starting and ending with a letter or digit)`;
    }
    return undefined;
  }
  const gcs = provider === 'gcp' || provider === 'gcpnative';
  const max = gcs && name.includes('.') ? 222 : 63;
  const who = gcs ? 'Google Cloud Storage rejects it' : 'S3 and MinIO reject it';
  if (name.length < 3 || name.length > max) return `"${name}" is ${name.length} characters long; bucket names have 3–${max} (${who})`;
  const chars = gcs ? /^[a-z0-9._-]+$/ : /^[a-z0-9.-]+$/;
  if (!chars.test(name)) {
    const bad = [...new Set(name.replace(gcs ? /[a-z0-9._-]/g : /[a-z0-9.-]/g, ''))].map((c) => JSON.stringify(c)).join(', ');
    return `"${name}" contains ${bad}: bucket names may only use lower-case letters, digits, dots and hyphens${gcs ? ' and underscores' : ''} (${who})`;
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return `"${name}" must start and end with a letter or digit (${who})`;
  if (name.includes('..')) return `"${name}" contains ".." (${who})`;
  if (IPV4.test(name)) return `"${name}" is formatted as an IP address (${who})`;
  if (!gcs && (name.startsWith('xn--') || name.endsWith('-s3alias') || name.endsWith('--ol-s3'))) return `"${name}" uses a prefix or suffix S3 reserves (${who})`;
  return undefined;
}
