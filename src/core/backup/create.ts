import { randomUUID } from 'node:crypto';
import { validateBackupName } from '../catalog/names';
import { isAbortError, UserError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { createLimiter, type Limiter } from '../jobs/limit';
import { noProgress } from '../jobs/progress';
import { retry } from '../jobs/retry';
import { runAll } from '../jobs/runAll';
import { buildMetaFiles, MetaFile } from '../meta/files';
import { collectionCounts, segmentCounts } from '../meta/counts';
import { connectMilvus, gatewayOptionsFromConfig, MilvusError, type MilvusGateway } from '../milvus';
import { ALLOW_ALL, parseFilter } from '../names/filter';
import type { ObjectStore } from '../storage/objectStore';
import { removePrefix } from './cleanup';
import { copyOne, useStreaming, type CopierOptions } from './copier';
import { backupDatabase } from './database';
import { backupCollectionDdl } from './ddl';
import { enumerate } from './enumerate';
import { flushAll, flushCollection } from './flush';
import { createGcController, type GcController, type GcEvent } from './gcController';
import {
  backupDeltaLogCollDir, backupDirPrefix, backupInsertLogCollDir, locationOf, metaKey, milvusCollectionInsertDir, nsKey, openStore,
  segmentObjects, type Location, type Namespace,
} from '../layout';
import { convRbac, MetaBuilder } from './metaBuild';
import { checkSegments, discoverSegments } from './segments';
import { parseStrategy, resolveStrategy } from './strategy';
import { Tally } from './tally';
import type { BackupSummary, CollectionSummary, CreateBackupOptions } from './types';
import { verifyCopied } from './verify';

/**
 * `create` (Go `core/backup/task.go`): pre-flight, GC pause, enumerate, database info, DDL, flush
 * per strategy, segments, copy, verify, RBAC, meta. Differences that make it safer than the Go tool:
 * - a failed or cancelled backup removes what it wrote (Go leaves the prefix, blocking the name);
 * - `meta/backup_meta.json`, the completion marker, is written last (Go writes it first, so a crash while
 *   writing the other files left a folder that looked complete); the bytes of every file are Go's;
 * - a collection whose segments report rows but whose binlogs are nowhere fails with the likely cause;
 * - nothing selected is refused instead of writing an empty backup;
 * - `transfer.mode: direct` between different services fails before any work.
 */
export async function createBackup(o: CreateBackupOptions): Promise<BackupSummary> {
  const started = Date.now();
  const emit = o.onProgress ?? noProgress;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    emit({ kind: 'warning', message });
  };
  const phase = (p: string, message: string) => emit({ kind: 'phase', phase: p, message });
  const signal = o.signal;
  const cfg = o.config;

  validateBackupName(o.name);
  const strategy = parseStrategy(o.strategy);
  const filter = typeof o.filter === 'string' ? parseFilter(o.filter) : (o.filter ?? ALLOW_ALL);
  const taskId = o.taskId ?? randomUUID();

  const owned: Array<{ close(): Promise<void> }> = [];
  let gw: MilvusGateway | undefined = o.gateway;
  let gc: GcController | undefined;
  let wrote = false;
  let dst: Location | undefined;
  let dir = '';
  try {
    const milvusStore: ObjectStore = o.stores?.milvus ?? openStore(cfg, 'milvus');
    if (!o.stores) owned.push(milvusStore);
    const backupStore: ObjectStore = o.stores?.backup ?? openStore(cfg, 'backup');
    if (!o.stores) owned.push(backupStore);
    const src = locationOf(milvusStore, cfg.milvus.storage);
    dst = locationOf(backupStore, cfg.backup.storage);
    dir = backupDirPrefix(dst.rootPath, o.name);
    const streaming = useStreaming(cfg.transfer.mode, milvusStore, backupStore);
    if (cfg.transfer.mode === 'direct' && milvusStore.backendKey !== backupStore.backendKey) {
      throw new UserError(
        'transfer.mode is "direct" (server-side copy) but the Milvus storage and the backup storage are different services; ' +
          'use transfer.mode auto or streaming',
        'transfer-mode',
      );
    }

    // ---- pre-flight (§3.1)
    phase('preflight', `checking ${dst.bucket}/${dir}`);
    if (!(await backupStore.bucketExists(dst.bucket, { signal }))) {
      await backupStore.createBucket(dst.bucket, { signal });
      emit({ kind: 'log', level: 'info', message: `created bucket ${dst.bucket}` });
    }
    for await (const _ of backupStore.list(dst.bucket, dir, { recursive: false, signal })) {
      throw new UserError(
        `a backup named "${o.name}" already exists in bucket "${dst.bucket}" at "${dir}" (or the leftovers of a failed run): ` +
          `choose another name or remove it with \`milvus-backup delete -n ${o.name}\``,
        'backup-exists',
      );
    }
    if (!gw) {
      phase('connect', `connecting to Milvus at ${cfg.milvus.grpc.address}:${cfg.milvus.grpc.port}`);
      gw = await connectMilvus(gatewayOptionsFromConfig(cfg), signal);
      owned.push(gw);
    }
    const g = gw;
    const features = g.features;
    const resolved = resolveStrategy(strategy, features);
    const builder = new MetaBuilder(taskId, o.name, warn);
    builder.setVersion(g.version.raw);

    // ---- GC pause (§3.2); stop() in finally resumes on every path
    const gcEvent = (e: GcEvent) => {
      if (e.kind === 'failed') {
        warn(
          `GC ${e.action} failed${e.collectionId ? ` for collection ${e.collectionId}` : ''}: ${e.message} — the backup continues ` +
            '(GC rarely touches the files being copied; pausing matters for backups that take hours)',
        );
      } else emit({ kind: 'log', level: 'debug', message: `GC ${e.kind} (${e.scope}${e.collectionId ? ` ${e.collectionId}` : ''})` });
    };
    const pauseGc = cfg.backup.pauseGC && resolved !== 'meta_only';
    gc = createGcController(g, { enabled: pauseGc, collectionLevel: features.collectionLevelGC, timing: o.timing?.gc, onEvent: gcEvent });
    await gc.start();

    // ---- enumerate (§3.3)
    phase('enumerate', 'listing databases and collections');
    const sel = await enumerate(g, filter);
    throwIfAborted(signal);
    if (sel.collections.length === 0 && !sel.databaseOnly) {
      throw new UserError(
        filter.rules === undefined
          ? `nothing to back up: Milvus at ${g.address} has no collections`
          : 'nothing to back up: the filter selects no collection (use `db.` to back up a database alone)',
        'empty-backup',
      );
    }
    builder.setOrder(sel.collections.map(nsKey));

    // ---- databases (§3.4)
    phase('databases', `reading ${sel.databases.length} database(s)`);
    for (const db of sel.databases) {
      throwIfAborted(signal);
      builder.addDatabase(await backupDatabase(g, db));
    }

    // ---- DDL for every collection (§3.6)
    const collLimit = createLimiter(Math.max(1, cfg.backup.concurrency.collections));
    const segLimit = createLimiter(Math.max(1, cfg.backup.concurrency.segments));
    const copyLimit = createLimiter(Math.max(1, cfg.transfer.concurrency));
    phase('ddl', `reading the schema of ${sel.collections.length} collection(s)`);
    const ids = new Map<string, bigint>();
    await runAll(sel.collections, collLimit, async (ns) => {
      const info = await backupCollectionDdl(g, taskId, ns.db, ns.collection);
      // Meta names collections as we asked for them; describe's answer is authoritative for the id.
      ids.set(nsKey(ns), info.collectionId);
      builder.addCollection(info);
      if (resolved === 'meta_only') emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'done' });
    }, signal);

    // ---- data (§3.7–§3.9)
    const tally = new Tally(emit);
    const etags = new Map<string, string>();
    const perColl = new Map<string, CollectionSummary>();
    const restState = { failed: false };
    if (resolved !== 'meta_only') {
      if (resolved === 'bulk_flush') {
        phase('flush', 'FlushAll');
        const r = await flushAll(g, { signal, timing: o.timing?.flush, warn });
        builder.setFlushAll(r.controlChannel, r.pchannels, r.msgsBase64);
      }
      phase('copy', `copying the data of ${sel.collections.length} collection(s) (${streaming ? 'streaming' : 'server-side'})`);
      await runAll(sel.collections, collLimit, async (ns, sig) => {
        emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'started' });
        try {
          const collectionId = ids.get(nsKey(ns))!;
          if (resolved === 'serial_flush') {
            const f = await flushCollection(g, ns.db, ns.collection, { signal: sig, timing: o.timing?.flush, warn });
            builder.addFlushPosition(collectionId, f.channelCheckpoints, BigInt(f.sealTimeSec || '0'));
          }
          const summary = await backupCollectionData({
            gw: g, gc: gc!, ns, collectionId, src, dst: dst!, dir, streaming, segLimit, copyLimit, signal: sig, tally,
            etags, builder, warn, restState, log: (message) => emit({ kind: 'log', level: 'info', message }),
            skipFlush: resolved === 'skip_flush',
          });
          perColl.set(nsKey(ns), summary);
          emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'done' });
        } catch (e) {
          emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'failed', message: (e as Error).message });
          throw e;
        } finally {
          wrote = true;
        }
      }, signal);
    }

    // ---- RBAC (§3.10)
    if (o.rbac) {
      phase('rbac', 'reading users, roles and grants');
      builder.setRbac(convRbac(await g.backupRBAC()));
    }

    // ---- Milvus 2.5 CDC: the RPC channel position (failure = warning, as Go; a server without it stays silent)
    const rpcChannel = cfg.milvus.replicate.rpcChannelName;
    if (features.replicateMessage && rpcChannel && g.replicateMessage) {
      try {
        const pos = await g.replicateMessage(rpcChannel);
        if (pos) builder.setRpcChannel(rpcChannel, pos);
      } catch (e) {
        if (!(e instanceof MilvusError && e.isUnimplemented)) {
          warn(
            `could not record the RPC channel position (${(e as Error).message}): the backup is fine, but CDC incremental ` +
              'replication resumed from it may be inconsistent',
          );
        }
      }
    }

    // ---- meta, completion marker last
    throwIfAborted(signal);
    phase('meta', 'writing meta');
    const info = builder.build();
    const files = buildMetaFiles(info);
    const ordered = [...files.filter((f) => f.name !== MetaFile.Backup), ...files.filter((f) => f.name === MetaFile.Backup)];
    let metaBytes = 0;
    for (const f of ordered) {
      throwIfAborted(signal);
      const body = Buffer.from(f.text, 'utf8');
      wrote = true;
      await backupStore.put(dst.bucket, metaKey(dir, f.name), body, body.length, { signal });
      metaBytes += body.length;
    }

    const collections: CollectionSummary[] = info.collectionBackups.map((c) => {
      const s = perColl.get(`${c.dbName}.${c.collectionName}`);
      const n = collectionCounts(c);
      return {
        db: c.dbName,
        collection: c.collectionName,
        collectionId: String(c.collectionId),
        partitions: n.partitions,
        segments: n.segments,
        l0Segments: n.l0Segments,
        rows: String(n.rows),
        bytes: Number(n.bytes),
        objects: s?.objects ?? 0,
      };
    });
    phase('done', `backup ${o.name} complete`);
    return {
      name: o.name,
      id: taskId,
      bucket: dst.bucket,
      path: dir,
      milvusVersion: info.milvusVersion,
      strategy: resolved,
      transfer: streaming ? 'streaming' : 'server-side',
      databases: sel.databases,
      collections,
      bytes: Number(info.size),
      objects: tally.doneObjects,
      metaBytes,
      etags: Object.fromEntries(etags),
      gc: pauseGc ? (features.collectionLevelGC ? 'collection' : 'cluster') : 'off',
      warnings,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    if (wrote && dst && dir) await cleanUp(dst, dir, e, emit, warn);
    throw e;
  } finally {
    await gc?.stop();
    for (const c of owned.reverse()) await c.close().catch(() => {});
  }
}

async function cleanUp(
  dst: Location, dir: string, cause: unknown, emit: CreateBackupOptions['onProgress'] & {}, warn: (m: string) => void,
): Promise<void> {
  emit({ kind: 'phase', phase: 'cleanup', message: `${isAbortError(cause) ? 'cancelled' : 'failed'}: removing ${dst.bucket}/${dir}` });
  try {
    // Own deadline: the backup's signal has usually fired already.
    const r = await removePrefix(dst, dir, AbortSignal.timeout(120_000));
    if (r.remaining > 0) {
      warn(`${r.remaining} object(s) could not be removed under ${dst.bucket}/${dir}; \`milvus-backup list\` shows the folder as incomplete`);
    }
  } catch (e) {
    warn(
      `could not remove the partial backup under ${dst.bucket}/${dir}: ${(e as Error).message}; ` +
        '`milvus-backup list` shows it as incomplete — delete it before reusing the name',
    );
  }
}

interface DataArgs {
  gw: MilvusGateway;
  gc: GcController;
  ns: Namespace;
  collectionId: bigint;
  src: Location;
  dst: Location;
  dir: string;
  streaming: boolean;
  segLimit: Limiter;
  copyLimit: Limiter;
  signal: AbortSignal;
  tally: Tally;
  etags: Map<string, string>;
  builder: MetaBuilder;
  warn: (m: string) => void;
  log: (m: string) => void;
  restState: { failed: boolean };
  skipFlush: boolean;
}

/**
 * skip_flush copies only what Milvus has already persisted (Go `core/backup/coll_plan.go`): say so when the collection holds more
 * rows than its persisted segments (GetCollectionStatistics; deleted rows are not subtracted there, so this
 * only ever under-reports). Best effort: a failing statistics call stays silent.
 */
async function warnUnflushed(a: DataArgs, persisted: bigint): Promise<void> {
  try {
    const total = BigInt(await a.gw.collectionRowCount(a.ns.db, a.ns.collection));
    if (total > persisted) {
      a.warn(
        `${nsKey(a.ns)}: ${total - persisted} of ${total} rows are not flushed yet and are not in this backup (strategy skip_flush); ` +
          'use the default strategy to flush first',
      );
    }
  } catch {
    // statistics are advisory here
  }
}

/** One collection's data phase (Go `collDMLTask.Execute`): GC pause → segments → copy → verify → GC resume. */
async function backupCollectionData(a: DataArgs): Promise<CollectionSummary> {
  const { gw, ns } = a;
  const label = nsKey(ns);
  await a.gc.pauseCollection(String(a.collectionId));
  try {
    // Transient "segment not found" while compaction runs: Go retries 50× within ~100 ms steps.
    const rows = await retry(() => gw.persistentSegments(ns.db, ns.collection), {
      attempts: 50, initialDelayMs: 100, maxDelayMs: 100, signal: a.signal,
      retryable: (e) => !isAbortError(e) && /not found/i.test((e as Error).message) && /segment/i.test((e as Error).message),
    });
    const t0 = Date.now();
    const segs = await discoverSegments(
      {
        gw, src: a.src, db: ns.db, collection: ns.collection, collectionId: a.collectionId,
        useRest: gw.features.getSegmentInfo, signal: a.signal, warn: a.warn, restState: a.restState,
      },
      rows,
    );
    const empty = segs.some((s) => !s.info.isL0 && s.info.binlogs.every((f) => f.binlogs.length === 0));
    checkSegments(segs, {
      db: ns.db, collection: ns.collection, bucket: a.src.bucket, rootPath: a.src.rootPath,
      collectionHasFiles: empty ? await hasAny(a.src, milvusCollectionInsertDir(a.src.rootPath, a.collectionId), a.signal) : undefined,
    });
    a.builder.addSegments(segs.map((s) => s.info));
    if (a.skipFlush) await warnUnflushed(a, segmentCounts(segs.map((s) => s.info)).rows);

    const perSeg = segs.map((s) => ({ seg: s.info, items: segmentObjects(a.dir, s.info) }));
    const expected = new Map<string, number>();
    let bytes = 0;
    let objects = 0;
    for (const p of perSeg) {
      for (const it of p.items) {
        expected.set(it.dstKey, it.size);
        bytes += it.size;
        objects++;
      }
    }
    a.tally.plan(bytes, objects, label);
    const t1 = Date.now();

    const copier: CopierOptions = {
      src: a.src, dst: a.dst, streaming: a.streaming, limiter: a.copyLimit, signal: a.signal,
      onRetry: (item, e, attempt) => a.warn(`retrying copy of ${item.srcKey} (attempt ${attempt + 1}): ${(e as Error).message}`),
    };
    await runAll(perSeg, a.segLimit, async (p, segSignal) => {
      await runAll(p.items, undefined, async (item, itemSignal) => {
        const onBytes = a.streaming ? (d: number) => a.tally.flowing(d, label) : undefined;
        const r = await copyOne({ ...copier, signal: itemSignal, onBytes }, item);
        if (r.etag) a.etags.set(item.dstKey, r.etag);
        // streamed bytes were counted as they flowed
        a.tally.done(a.streaming ? 0 : item.size, label);
      }, segSignal);
    }, a.signal);

    const t2 = Date.now();
    const v = await verifyCopied(
      a.dst, [backupInsertLogCollDir(a.dir, a.collectionId), backupDeltaLogCollDir(a.dir, a.collectionId)], expected, a.signal,
    );
    for (const [k, e] of v.etags) if (!a.etags.has(k)) a.etags.set(k, e);
    a.log(`${label}: ${segs.length} segment(s) found in ${t1 - t0} ms, ${objects} object(s) copied in ${t2 - t1} ms, verified in ${Date.now() - t2} ms`);
    const n = segmentCounts(segs.map((s) => s.info));
    return {
      db: ns.db,
      collection: ns.collection,
      collectionId: String(a.collectionId),
      partitions: 0,
      segments: n.segments,
      l0Segments: n.l0Segments,
      rows: String(n.rows),
      bytes,
      objects,
    };
  } finally {
    await a.gc.resumeCollection(String(a.collectionId));
  }
}

async function hasAny(l: Location, prefix: string, signal?: AbortSignal): Promise<boolean> {
  for await (const e of l.store.list(l.bucket, prefix, { recursive: true, signal })) if (e.type === 'object') return true;
  return false;
}
