/**
 * The text *Create backup.yaml* writes (no vscode import): a v2 config for a local Milvus + MinIO with a comment
 * on every key. Secrets are left out of the file on purpose: the comments name the env vars that supply them.
 * A unit test holds it to zero errors and zero warnings under the same validator the engine uses.
 */
export const BACKUP_YAML_TEMPLATE = `# milvus-backup configuration (v2 schema). Hover a key for its documentation;
# environment variables and --set override what is written here ("Show Effective Configuration" shows which wins).
configVersion: v2

log:
  level: info              # debug, info, warn, error, panic or fatal
  console: true            # also log to stdout
  file:
    path: logs/backup.log

# The Milvus deployment to back up or restore into.
milvus:
  user: ""                 # or env MILVUS_USER
  # password: not written here; set env MILVUS_PASSWORD when Milvus has authentication on
  grpc:
    address: localhost
    port: 19530
    tlsMode: disabled      # disabled, server or mutual
  management:
    endpoint: http://localhost:9091   # GC pause/resume during a backup
  # The object storage Milvus itself writes to: must match Milvus's own minio/S3 settings.
  storage:
    provider: minio        # local, minio, s3, aws, gcp, gcpnative, azure, aliyun, tencent, hwc
    address: localhost
    port: 9000
    useSSL: false
    bucketName: a-bucket
    rootPath: files        # Milvus's rootPath inside the bucket
    auth:
      type: static         # static, iam or default (azure: sharedKey; gcpnative: serviceAccount)
      # accessKeyID / secretAccessKey: set env MILVUS_STORAGE_AUTH_ACCESS_KEY_ID and
      # MILVUS_STORAGE_AUTH_SECRET_ACCESS_KEY (both default to minioadmin, a local MinIO's account)

# Where backups are written. Every storage field left out (except rootPath) inherits milvus.storage.
backup:
  storage:
    bucketName: a-bucket
    rootPath: backup
  concurrency:
    collections: 4
    segments: 1024
  pauseGC: true

restore:
  concurrency:
    collections: 2

transfer:
  mode: auto               # auto, direct or streaming
`;
