import { randomUUID } from 'node:crypto';
import { validateBackupName } from '../catalog/names';
import { isAbortError, UserError } from '../errors';
import { throwIfAborted } from '../jobs/abort';
import { nameInError } from '../jobs/errorContext';
import { createLimiter, type Limiter } from '../jobs/limit';
import { noProgress } from '../jobs/progress';
import { retry } from '../jobs/retry';
import { runAll } from '../jobs/runAll';
import { buildMetaFiles, MetaFile } from '../meta/files';
import { collectionCounts, segmentCounts } from '../meta/counts';
import { collectChecksums, encodeChecksums } from '../verify/checksums';
import { connectMilvus, gatewayOptionsFromConfig, MilvusError, type MilvusGateway } from '../milvus';
import { ALLOW_ALL, parseFilter, type CollectionFilter } from '../names/filter';
import type { ObjectStore } from '../storage/objectStore';
import { attachCleanup, describeCleanup, removeRunWrites, RunWrites, type CleanupTiming } from './cleanup';
import { copyOne, useStreaming, type CopierOptions } from './copier';
import { backupDatabase } from './database';
import { backupCollectionDdl } from './ddl';
import { enumerate, type Selection } from './enumerate';
import { flushAll, flushCollection } from './flush';
import { createGcController, type GcController, type GcEvent } from './gcController';
import {
  backupDeltaLogCollDir, backupDirPrefix, backupInsertLogCollDir, checksumsKey, locationOf, metaKey, milvusCollectionInsertDir, nsKey, openStore,
  segmentObjects, type Location, type Namespace,
} from '../layout';
import { convRbac, MetaBuilder } from './metaBuild';
import { claimBackupName } from './nameClaim';
import { checkSegments, discoverSegments } from './segments';
import { parseStrategy, resolveStrategy, type ResolvedStrategy } from './strategy';
import { Tally } from './tally';
import type { BackupSummary, CollectionSummary, CreateBackupOptions } from './types';
import { verifyCopied } from './verify';

/**
 * `create` (Go `core/backup/task.go`): pre-flight, GC pause, enumerate, database info, DDL, flush
 * per strategy, segments, copy, verify, RBAC, meta. Differences that make it safer than the Go tool:
 * - the name is claimed with a conditional PUT first (nameClaim.ts): of two `create -n NAME` at once exactly one
 *   writes (Go checks once, then both write into one folder);
 * - a failed or cancelled backup removes what its own run wrote, retrying, and says what is left (cleanup.ts;
 *   Go leaves the prefix, blocking the name);
 * - content checksums are recorded in `extra/checksums.json` for `verify --deep` (the Go tool ignores extra/);
 * - `meta/backup_meta.json`, the completion marker, is written last (Go writes it first, so a crash while
 *   writing the other files left a folder that looked complete); the bytes of every file are Go's;
 * - a collection whose segments report rows but whose binlogs are nowhere fails with the likely cause;
 * - nothing selected is refused instead of writing an empty backup;
 * - `transfer.mode: direct` between different services fails before any work.
 */
export async function createBackup(o: CreateBackupOptions): Promise<BackupSummary> {
  const r = newRun(o);
  try {
    openEnds(r);
    await preflight(r);
    await connect(r);
    await pauseGc(r);
    await selectCollections(r);
    await readDatabases(r);
    await readDdl(r);
    await copyData(r);
    await readRbac(r);
    await recordRpcChannel(r);
    await writeChecksums(r);
    const written = await writeMeta(r);
    r.phase('done', `backup ${o.name} complete`);
    return summarize(r, written);
  } catch (e) {
    if (!r.writes.isEmpty && r.dst && r.dir) attachCleanup(e, await cleanUp(r, e));
    throw e;
  } finally {
    await r.gc?.stop();
    for (const c of r.owned.reverse()) await c.close().catch(() => {});
  }
}

/** What the steps of one backup share; each step fills in what the later ones read. */
interface Run {
  o: CreateBackupOptions;
  cfg: CreateBackupOptions['config'];
  signal?: AbortSignal;
  started: number;
  taskId: string;
  strategy: ReturnType<typeof parseStrategy>;
  filter: CollectionFilter;
  emit: NonNullable<CreateBackupOptions['onProgress']>;
  warn: (message: string) => void;
  phase: (p: string, message: string) => void;
  warnings: string[];
  /** closed in the end, in reverse order */
  owned: Array<{ close(): Promise<void> }>;
  /** every key this run wrote or started to write (a failure removes exactly these, cleanup.ts) */
  writes: RunWrites;
  // openEnds
  milvusStore: ObjectStore;
  backupStore: ObjectStore;
  src: Location;
  dst?: Location;
  dir: string;
  streaming: boolean;
  // connect
  gw: MilvusGateway;
  resolved: ResolvedStrategy;
  builder: MetaBuilder;
  // pauseGc
  gc?: GcController;
  pauseGc: boolean;
  // selectCollections, readDdl
  sel: Selection;
  ids: Map<string, bigint>;
  collLimit: Limiter;
  // copyData
  tally: Tally;
  etags: Map<string, string>;
  perColl: Map<string, CollectionSummary>;
}

/** The request checked (name, strategy, filter) before anything is opened. */
function newRun(o: CreateBackupOptions): Run {
  validateBackupName(o.name);
  const emit = o.onProgress ?? noProgress;
  const warnings: string[] = [];
  const r = {
    o, cfg: o.config, signal: o.signal, started: Date.now(), taskId: o.taskId ?? randomUUID(),
    strategy: parseStrategy(o.strategy),
    filter: typeof o.filter === 'string' ? parseFilter(o.filter) : (o.filter ?? ALLOW_ALL),
    emit,
    warnings,
    warn: (message: string) => {
      warnings.push(message);
      emit({ kind: 'warning', message });
    },
    phase: (p: string, message: string) => emit({ kind: 'phase', phase: p, message }),
    owned: [], writes: new RunWrites(), dir: '', gw: o.gateway, ids: new Map(), etags: new Map(), perColl: new Map(),
    tally: new Tally(emit),
  };
  return r as Partial<Run> as Run;
}

/** The Milvus bucket (read) and the backup bucket (written), and how data goes between them. */
function openEnds(r: Run): void {
  const { o, cfg } = r;
  r.milvusStore = o.stores?.milvus ?? openStore(cfg, 'milvus');
  if (!o.stores) r.owned.push(r.milvusStore);
  r.backupStore = o.stores?.backup ?? openStore(cfg, 'backup');
  if (!o.stores) r.owned.push(r.backupStore);
  r.src = locationOf(r.milvusStore, cfg.milvus.storage);
  r.dst = locationOf(r.backupStore, cfg.backup.storage);
  r.dir = backupDirPrefix(r.dst.rootPath, o.name);
  r.streaming = useStreaming(cfg.transfer.mode, r.milvusStore, r.backupStore);
  if (cfg.transfer.mode === 'direct' && r.milvusStore.backendKey !== r.backupStore.backendKey) {
    throw new UserError(
      'transfer.mode is "direct" (server-side copy) but the Milvus storage and the backup storage are different services; ' +
        'use transfer.mode auto or streaming',
      'transfer-mode',
    );
  }
}

/** Go `core/backup/task.go` prepare: the backup bucket exists (created if not), the name is free. */
async function preflight(r: Run): Promise<void> {
  const { o, signal, dir } = r;
  const dst = r.dst!;
  r.phase('preflight', `checking ${dst.bucket}/${dir}`);
  if (!(await r.backupStore.bucketExists(dst.bucket, { signal }))) {
    await r.backupStore.createBucket(dst.bucket, { signal });
    r.emit({ kind: 'log', level: 'info', message: `created bucket ${dst.bucket}` });
  }
  for await (const _ of r.backupStore.list(dst.bucket, dir, { recursive: false, signal })) {
    throw new UserError(
      `a backup named "${o.name}" already exists in bucket "${dst.bucket}" at "${dir}" (or the leftovers of a failed run): ` +
        `choose another name or remove it with \`milvus-backup delete -n ${o.name}\``,
      'backup-exists',
    );
  }
  // exactly one of two runs with this name gets past here (a conditional PUT), before any other write
  r.writes.addClaim((await claimBackupName(dst, dir, o.name, r.taskId, signal)).keys);
}

/** The gateway (the caller's, or one opened here), the strategy it allows, and the meta builder. */
async function connect(r: Run): Promise<void> {
  const { cfg } = r;
  if (!r.gw) {
    r.phase('connect', `connecting to Milvus at ${cfg.milvus.grpc.address}:${cfg.milvus.grpc.port}`);
    r.gw = await connectMilvus({ ...gatewayOptionsFromConfig(cfg), onRetry: (m) => r.warn(m) }, r.signal);
    r.owned.push(r.gw);
  }
  r.resolved = resolveStrategy(r.strategy, r.gw.features);
  r.builder = new MetaBuilder(r.taskId, r.o.name, r.warn);
  r.builder.setVersion(r.gw.version.raw);
}

/** GC pause (Go `core/backup/gc_controller.go`); the `finally` of createBackup resumes it on every path. */
async function pauseGc(r: Run): Promise<void> {
  const gcEvent = (e: GcEvent) => {
    if (e.kind === 'failed' && e.action === 'resume') {
      r.warn(
        `GC resume failed${e.collectionId ? ` for collection ${e.collectionId}` : ''} after retries: ${e.message} — ` +
          `Milvus keeps GC paused until ${e.pausedUntil?.toISOString() ?? 'its pause expires'}, then resumes it by itself; ` +
          `to resume it now: GET ${r.cfg.milvus.management.endpoint || '<management address>'}/management/datacoord/garbage_collection/resume` +
          (e.ticket ? `?ticket=${encodeURIComponent(e.ticket)}` : ''),
      );
    } else if (e.kind === 'failed') {
      r.warn(
        `GC ${e.action} failed${e.collectionId ? ` for collection ${e.collectionId}` : ''}: ${e.message} — the backup continues ` +
          '(GC rarely touches the files being copied; pausing matters for backups that take hours)',
      );
    } else r.emit({ kind: 'log', level: 'debug', message: `GC ${e.kind} (${e.scope}${e.collectionId ? ` ${e.collectionId}` : ''})` });
  };
  r.pauseGc = r.cfg.backup.pauseGC && r.resolved !== 'meta_only';
  r.gc = createGcController(r.gw, { enabled: r.pauseGc, collectionLevel: r.gw.features.collectionLevelGC, timing: r.o.timing?.gc, onEvent: gcEvent });
  await r.gc.start();
}

/** Go `listDBAndNSS`: what the filter selects; nothing selected is refused. */
async function selectCollections(r: Run): Promise<void> {
  r.phase('enumerate', 'listing databases and collections');
  r.sel = await enumerate(r.gw, r.filter);
  throwIfAborted(r.signal);
  if (r.sel.collections.length === 0 && !r.sel.databaseOnly) {
    throw new UserError(
      r.filter.rules === undefined
        ? `nothing to back up: Milvus at ${r.gw.address} has no collections`
        : 'nothing to back up: the filter selects no collection (use `db.` to back up a database alone)',
      'empty-backup',
    );
  }
  r.builder.setOrder(r.sel.collections.map(nsKey));
}

/** Go `core/backup/database_task.go`. */
async function readDatabases(r: Run): Promise<void> {
  r.phase('databases', `reading ${r.sel.databases.length} database(s)`);
  for (const db of r.sel.databases) {
    throwIfAborted(r.signal);
    r.builder.addDatabase(await backupDatabase(r.gw, db));
  }
}

/** Go `core/backup/coll_ddl_task.go`, `backup.concurrency.collections` at a time. */
async function readDdl(r: Run): Promise<void> {
  r.collLimit = createLimiter(Math.max(1, r.cfg.backup.concurrency.collections));
  r.phase('ddl', `reading the schema of ${r.sel.collections.length} collection(s)`);
  await runAll(r.sel.collections, r.collLimit, async (ns) => {
    const info = await backupCollectionDdl(r.gw, r.taskId, ns.db, ns.collection).catch((e: unknown) => {
      throw nameInError(e, nsKey(ns));
    });
    // Meta names collections as we asked for them; describe's answer is authoritative for the id.
    r.ids.set(nsKey(ns), info.collectionId);
    r.builder.addCollection(info);
    if (r.resolved === 'meta_only') r.emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'done' });
  }, r.signal);
}

/** Flush per strategy (Go `core/backup/coll_plan.go`), then each collection's data (Go `coll_dml_task.go`). */
async function copyData(r: Run): Promise<void> {
  const { resolved, gw: g, emit, o, signal } = r;
  if (resolved === 'meta_only') return;
  const segLimit = createLimiter(Math.max(1, r.cfg.backup.concurrency.segments));
  const copyLimit = createLimiter(Math.max(1, r.cfg.transfer.concurrency));
  const restState = { failed: false };
  if (resolved === 'bulk_flush') {
    r.phase('flush', 'FlushAll');
    const f = await flushAll(g, { signal, timing: o.timing?.flush, warn: r.warn });
    r.builder.setFlushAll(f.controlChannel, f.pchannels, f.msgsBase64);
  }
  r.phase('copy', `copying the data of ${r.sel.collections.length} collection(s) (${r.streaming ? 'streaming' : 'server-side'})`);
  await runAll(r.sel.collections, r.collLimit, async (ns, sig) => {
    emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'started' });
    try {
      const collectionId = r.ids.get(nsKey(ns))!;
      if (resolved === 'serial_flush') {
        const f = await flushCollection(g, ns.db, ns.collection, { signal: sig, timing: o.timing?.flush, warn: r.warn });
        r.builder.addFlushPosition(collectionId, f.channelCheckpoints, BigInt(f.sealTimeSec || '0'));
      }
      const summary = await backupCollectionData({
        gw: g, gc: r.gc!, ns, collectionId, src: r.src, dst: r.dst!, dir: r.dir, streaming: r.streaming, segLimit, copyLimit, signal: sig,
        tally: r.tally, etags: r.etags, builder: r.builder, warn: r.warn, restState, writes: r.writes,
        log: (message) => emit({ kind: 'log', level: 'info', message }),
        skipFlush: resolved === 'skip_flush',
      });
      r.perColl.set(nsKey(ns), summary);
      emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'done' });
    } catch (e) {
      emit({ kind: 'collection', db: ns.db, collection: ns.collection, state: 'failed', message: (e as Error).message });
      throw nameInError(e, nsKey(ns));
    }
  }, signal);
}

/** `--rbac`: users, roles, grants and privilege groups (Go `core/backup/rbac.go`). */
async function readRbac(r: Run): Promise<void> {
  if (!r.o.rbac) return;
  r.phase('rbac', 'reading users, roles and grants');
  r.builder.setRbac(convRbac(await r.gw.backupRBAC()));
}

/**
 * Milvus 2.5 CDC: the RPC channel position (Go `core/backup/rpc_channel_pos.go`). A failure is a warning, as
 * Go; a server without the call stays silent.
 */
async function recordRpcChannel(r: Run): Promise<void> {
  const rpcChannel = r.cfg.milvus.replicate.rpcChannelName;
  if (!r.gw.features.replicateMessage || !rpcChannel || !r.gw.replicateMessage) return;
  try {
    const pos = await r.gw.replicateMessage(rpcChannel);
    if (pos) r.builder.setRpcChannel(rpcChannel, pos);
  } catch (e) {
    if (!(e instanceof MilvusError && e.isUnimplemented)) {
      r.warn(
        `could not record the RPC channel position (${(e as Error).message}): the backup is fine, but CDC incremental ` +
          'replication resumed from it may be inconsistent',
      );
    }
  }
}

/** Content checksums for `verify --deep` (verify/checksums.ts), in `extra/`, which the Go tool ignores; before the meta. */
async function writeChecksums(r: Run): Promise<void> {
  throwIfAborted(r.signal);
  r.phase('checksums', 'recording content checksums');
  const body = encodeChecksums(await collectChecksums(r.dst!, r.dir, r.writes.dataKeys, r.signal));
  r.writes.add(checksumsKey(r.dir));
  await r.backupStore.put(r.dst!.bucket, checksumsKey(r.dir), body, body.length, { signal: r.signal });
}

/** The meta files, in Go's bytes, with the completion marker `backup_meta.json` last. */
async function writeMeta(r: Run): Promise<{ info: ReturnType<MetaBuilder['build']>; metaBytes: number }> {
  throwIfAborted(r.signal);
  r.phase('meta', 'writing meta');
  const info = r.builder.build();
  const files = buildMetaFiles(info);
  const ordered = [...files.filter((f) => f.name !== MetaFile.Backup), ...files.filter((f) => f.name === MetaFile.Backup)];
  let metaBytes = 0;
  for (const f of ordered) {
    throwIfAborted(r.signal);
    const body = Buffer.from(f.text, 'utf8');
    r.writes.add(metaKey(r.dir, f.name));
    await r.backupStore.put(r.dst!.bucket, metaKey(r.dir, f.name), body, body.length, { signal: r.signal });
    metaBytes += body.length;
  }
  return { info, metaBytes };
}

function summarize(r: Run, { info, metaBytes }: Awaited<ReturnType<typeof writeMeta>>): BackupSummary {
  const collections: CollectionSummary[] = info.collectionBackups.map((c) => {
    const s = r.perColl.get(`${c.dbName}.${c.collectionName}`);
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
  return {
    name: r.o.name,
    id: r.taskId,
    bucket: r.dst!.bucket,
    path: r.dir,
    milvusVersion: info.milvusVersion,
    strategy: r.resolved,
    transfer: r.streaming ? 'streaming' : 'server-side',
    databases: r.sel.databases,
    collections,
    bytes: Number(info.size),
    objects: r.tally.doneObjects,
    metaBytes,
    etags: Object.fromEntries(r.etags),
    gc: r.pauseGc ? (r.gw.features.collectionLevelGC ? 'collection' : 'cluster') : 'off',
    warnings: r.warnings,
    durationMs: Date.now() - r.started,
  };
}

/** Removes what this run wrote (cleanup.ts) and returns the sentence that says what happened. */
async function cleanUp(r: Run, cause: unknown): Promise<string> {
  const dst = r.dst!;
  r.phase('cleanup', `${isAbortError(cause) ? 'cancelled' : 'failed'}: removing what this run wrote under ${dst.bucket}/${r.dir}`);
  const timing: CleanupTiming | undefined = r.o.timing?.cleanup;
  const outcome = await removeRunWrites(dst, r.dir, r.writes, timing, (m) => r.emit({ kind: 'log', level: 'info', message: m }));
  const text = describeCleanup(outcome, dst.bucket, r.dir, r.o.name);
  if (outcome.remaining.length > 0) r.warn(`could not remove the partial backup: ${text}`);
  else r.emit({ kind: 'log', level: 'info', message: text });
  return text;
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
  writes: RunWrites;
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
        a.writes.add(item.dstKey);
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
