/**
 * Which authentication each provider's store can use here — the one rule `createObjectStore` enforces and
 * `config validate` (and the editor) report, so an unsupported combination is a config error, not a clean
 * validation followed by a failing command. IAM for S3 providers goes through minio-js's IamAwsProvider (AWS
 * instance/IRSA credentials), which only AWS-style services accept; the Go tool also has GCP-metadata and
 * Aliyun/Tencent RAM providers (internal/storage/gcp.go, aliyun.go, tencent.go) that we do not.
 */
const IAM_S3_PROVIDERS = new Set(['aws', 's3', 'minio']);

/** A sentence saying why this provider + auth type cannot work, or undefined when it is supported. */
export function unsupportedAuth(provider: string, authType: string): string | undefined {
  if (provider === 'local' || provider === 'azure' || provider === 'gcpnative') return undefined;
  if ((authType === 'iam' || authType === 'default') && !IAM_S3_PROVIDERS.has(provider)) {
    return `IAM authentication for "${provider}" is not supported by this tool yet; use static access keys`;
  }
  return undefined;
}
