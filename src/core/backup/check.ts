import { randomUUID } from 'node:crypto';
import type { ResolvedConfig, StorageConfig } from '../config/types';
import { maskSecret } from '../config/mask';
import { throwIfAborted } from '../jobs/abort';
import { createLimiter } from '../jobs/limit';
import { noProgress, type ProgressListener } from '../jobs/progress';
import { connectMilvus, gatewayOptionsFromConfig, type MilvusGateway } from '../milvus';
import type { ObjectStore } from '../storage/objectStore';
import { backupRootPrefix } from '../layout';
import { copyOne, useStreaming } from './copier';
import { milvusRootDir } from '../layout';
import { locationOf, openStore } from '../layout';

/**
 * `milvus-backup check` (Go `cmd/check/check.go`, `core/check/task.go`): connect to Milvus (version), list the Milvus root (an
 * empty root usually means a wrong bucket/rootPath), list the backup root, write a 1-byte probe under the
 * Milvus root, copy it to the backup root the way a backup would (server-side or streaming), verify the
 * copy's size, and delete both probes. The report carries the resolved config with secrets masked.
 */

export interface CheckOptions {
  config: ResolvedConfig;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  gateway?: MilvusGateway;
  stores?: { milvus: ObjectStore; backup: ObjectStore };
}

export interface CheckReport {
  milvusAddress: string;
  milvusVersion: string;
  /** true: nothing under the Milvus root — the backup would find no binlogs there */
  milvusRootEmpty: boolean;
  milvusBucket: string;
  milvusRoot: string;
  backupBucket: string;
  backupRoot: string;
  transfer: 'server-side' | 'streaming';
  probe: { srcKey: string; dstKey: string; copied: boolean; verified: boolean; cleaned: boolean };
  warnings: string[];
  /** key → display value, secrets masked */
  config: Array<[string, string]>;
}

export async function checkSetup(o: CheckOptions): Promise<CheckReport> {
  const cfg = o.config;
  const emit = o.onProgress ?? noProgress;
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    emit({ kind: 'warning', message: m });
  };
  const owned: Array<{ close(): Promise<void> }> = [];
  try {
    let gw = o.gateway;
    if (!gw) {
      emit({ kind: 'phase', phase: 'connect', message: `connecting to Milvus at ${cfg.milvus.grpc.address}:${cfg.milvus.grpc.port}` });
      gw = await connectMilvus(gatewayOptionsFromConfig(cfg), o.signal);
      owned.push(gw);
    }
    const milvusStore = o.stores?.milvus ?? openStore(cfg, 'milvus');
    if (!o.stores) owned.push(milvusStore);
    const backupStore = o.stores?.backup ?? openStore(cfg, 'backup');
    if (!o.stores) owned.push(backupStore);
    const src = locationOf(milvusStore, cfg.milvus.storage);
    const dst = locationOf(backupStore, cfg.backup.storage);

    emit({ kind: 'phase', phase: 'milvus-storage', message: `listing ${src.bucket}/${src.rootPath}` });
    const root = milvusRootDir(src.rootPath);
    let empty = true;
    for await (const e of src.store.list(src.bucket, root, { recursive: true, signal: o.signal })) {
      if (e.type === 'object') {
        empty = false;
        break;
      }
    }
    if (empty) {
      warn(
        `!!! Milvus root path is empty !!! nothing under bucket "${src.bucket}" at "${root}": if Milvus holds data, ` +
          'the storage settings (address / bucket / rootPath) do not match the ones Milvus uses',
      );
    }

    emit({ kind: 'phase', phase: 'backup-storage', message: `listing ${dst.bucket}/${dst.rootPath}` });
    if (!(await dst.store.bucketExists(dst.bucket, { signal: o.signal }))) {
      warn(`backup bucket "${dst.bucket}" does not exist yet; create will make it`);
    } else {
      for await (const _ of dst.store.list(dst.bucket, backupRootPrefix(dst.rootPath), { recursive: false, signal: o.signal })) break;
    }

    const streaming = useStreaming(cfg.transfer.mode, milvusStore, backupStore);
    const id = randomUUID();
    const srcKey = `${root}milvus_backup_check_src_${id}`;
    const dstKey = `${backupRootPrefix(dst.rootPath)}milvus_backup_check_dst_${id}`;
    const probe = { srcKey, dstKey, copied: false, verified: false, cleaned: false };
    emit({ kind: 'phase', phase: 'probe', message: `writing ${src.bucket}/${srcKey} and copying it (${streaming ? 'streaming' : 'server-side'})` });
    let dstBucketCreated = false;
    try {
      throwIfAborted(o.signal);
      await src.store.put(src.bucket, srcKey, Buffer.from([1]), 1, { signal: o.signal });
      if (!(await dst.store.bucketExists(dst.bucket, { signal: o.signal }))) {
        await dst.store.createBucket(dst.bucket, { signal: o.signal });
        dstBucketCreated = true;
      }
      await copyOne(
        { src, dst, streaming, limiter: createLimiter(1), signal: o.signal, attempts: 1 },
        { srcKey, dstKey, size: 1 },
      );
      probe.copied = true;
      const st = await dst.store.stat(dst.bucket, dstKey, { signal: o.signal });
      if (!st || st.size !== 1) throw new Error(`the copied probe ${dst.bucket}/${dstKey} is ${st ? `${st.size} bytes` : 'missing'}, expected 1 byte`);
      probe.verified = true;
    } finally {
      const results = await Promise.allSettled([
        src.store.deleteObjects(src.bucket, [srcKey]),
        probe.copied || dstBucketCreated ? dst.store.deleteObjects(dst.bucket, [dstKey]) : Promise.resolve(),
      ]);
      probe.cleaned = results.every((r) => r.status === 'fulfilled');
      if (!probe.cleaned) warn(`could not delete the probe objects ${src.bucket}/${srcKey} / ${dst.bucket}/${dstKey}`);
    }
    return {
      milvusAddress: gw.address,
      milvusVersion: gw.version.raw,
      milvusRootEmpty: empty,
      milvusBucket: src.bucket,
      milvusRoot: src.rootPath,
      backupBucket: dst.bucket,
      backupRoot: dst.rootPath,
      transfer: streaming ? 'streaming' : 'server-side',
      probe,
      warnings,
      config: configRows(cfg),
    };
  } finally {
    for (const c of owned.reverse()) await c.close().catch(() => {});
  }
}

function storageRows(prefix: string, s: StorageConfig): Array<[string, string]> {
  return [
    [`${prefix}.type`, s.provider],
    [`${prefix}.address`, s.address],
    [`${prefix}.port`, String(s.port)],
    [`${prefix}.useSSL`, String(s.useSSL)],
    [`${prefix}.region`, s.region],
    [`${prefix}.bucketName`, s.bucketName],
    [`${prefix}.rootPath`, s.rootPath],
    [`${prefix}.auth.type`, s.auth.type],
    // the credential fields of the auth type in use (azure: account + key; gcpnative: the key file's path)
    ...(s.provider === 'azure'
      ? ([[`${prefix}.accountName`, s.accountName], ...(s.auth.type === 'sharedKey' ? [[`${prefix}.auth.accountKey`, maskSecret(s.auth.accountKey)]] : [])] as Array<[string, string]>)
      : s.provider === 'gcpnative'
        ? ([[`${prefix}.auth.credentialsFile`, s.auth.credentialsFile]] as Array<[string, string]>)
        : ([
            [`${prefix}.auth.accessKeyID`, s.auth.accessKeyID],
            [`${prefix}.auth.secretAccessKey`, maskSecret(s.auth.secretAccessKey)],
          ] as Array<[string, string]>)),
  ];
}

/** The settings check and backup depend on, in v2 key names, secrets masked like the Go tool's `config show`. */
export function configRows(c: ResolvedConfig): Array<[string, string]> {
  return [
    ['config file', c.file ?? '(none: defaults and environment)'],
    ['milvus.grpc.address', `${c.milvus.grpc.address}:${c.milvus.grpc.port}`],
    ['milvus.grpc.tlsMode', c.milvus.grpc.tlsMode],
    ['milvus.user', c.milvus.user],
    ['milvus.password', maskSecret(c.milvus.password)],
    ['milvus.rest.endpoint', c.milvus.rest.endpoint],
    ['milvus.management.endpoint', c.milvus.management.endpoint],
    ...storageRows('milvus.storage', c.milvus.storage),
    ...storageRows('backup.storage', c.backup.storage),
    ['backup.pauseGC', String(c.backup.pauseGC)],
    ['backup.concurrency', `collections ${c.backup.concurrency.collections}, segments ${c.backup.concurrency.segments}`],
    ['transfer.mode', c.transfer.mode],
    ['transfer.concurrency', String(c.transfer.concurrency)],
    ['transfer.multipartCopyThresholdMiB', String(c.transfer.multipartCopyThresholdMiB)],
  ];
}
