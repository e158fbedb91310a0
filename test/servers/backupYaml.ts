/**
 * The v1 `backup.yaml` that points the CLI/engine at a Milvus test server and the embedded S3 server — the
 * seed document's shape, as the Go tool's users write it. One writer for the demo, the playground and the
 * test environments, so a key they all need is changed in one place.
 */
export interface TestServerYaml {
  /** written as a leading comment (the playground names instances after their folder) */
  name?: string;
  /** host:port of the Milvus test server's gRPC/REST port */
  milvusAddress: string;
  /** host:port of the S3 server */
  s3Endpoint: string;
  milvusBucket: string;
  milvusRoot?: string;
  backupBucket: string;
  backupRoot?: string;
  /** written into the file; leave out to supply them as MINIO_ACCESS_KEY / MINIO_SECRET_KEY */
  credentials?: { accessKey: string; secretKey: string };
  /** `backup.gcPause`: Milvus's management URL and whether backups pause GC */
  gcPause?: { enable: boolean; address: string };
  /** more lines appended verbatim (top-level sections) */
  extra?: string[];
}

export function testServerYaml(o: TestServerYaml): string {
  const [host, port] = o.milvusAddress.split(':');
  const [s3Host, s3Port] = o.s3Endpoint.split(':');
  return [
    ...(o.name ? [`# backup.yaml for ${o.name} (written by the playground / tests)`] : []),
    'milvus:',
    `  address: ${host}`,
    `  port: ${port}`,
    'minio:',
    '  storageType: minio',
    `  address: ${s3Host}`,
    `  port: ${s3Port}`,
    ...(o.credentials ? [`  accessKeyID: ${o.credentials.accessKey}`, `  secretAccessKey: ${o.credentials.secretKey}`] : []),
    '  useSSL: false',
    `  bucketName: ${o.milvusBucket}`,
    `  rootPath: ${o.milvusRoot ?? 'files'}`,
    `  backupBucketName: ${o.backupBucket}`,
    `  backupRootPath: ${o.backupRoot ?? 'backup'}`,
    ...(o.gcPause ? ['backup:', '  gcPause:', `    enable: ${o.gcPause.enable}`, `    address: ${o.gcPause.address}`] : []),
    ...(o.extra ?? []),
    '',
  ].join('\n');
}
