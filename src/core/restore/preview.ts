/**
 * `planRestore`: what a restore would do, as data — shown by `restore --dry-run` and by the editor before it
 * runs. Reads the backup meta and asks Milvus only read-only questions (version, databases, which targets
 * exist, the current RBAC for `--rbac`). Nothing is created, copied or imported.
 */
import { UserError } from '../errors';
import { collectionCounts, partitionCounts } from '../meta/counts';
import type { MilvusGateway } from '../milvus/gateway';
import { parseVersion, restoreCompatibility } from '../milvus/version';
import { planJobs } from './collectionTask';
import { checkFlags, checkFormat, importModeFor, openBackup, openGateway, openMilvusStore, stagingFor } from './context';
import { numPartitionsFor, shardsFor } from './ddl';
import { importV1CollectionProblems, importV1Notes, importV1Problems } from './importV1';
import { indexRequests } from './indexes';
import { nsKey } from '../layout';
import type { BackupInfo } from '../meta/types';
import { buildPlan, databasesNeeded, nothingSelected, type CollectionTaskPlan, type RestorePlan } from './plan';
import { rbacCounts, rbacDelta } from './rbac';
import { schemaForCreate } from './schemaConv';
import type { CollectionAction, PreviewCollection, RestorePreview, RestoreRequest } from './types';

/** Existence problems, as the Go tool's checkCollExist words them (but collected, not thrown one by one). */
export function existenceProblem(exists: boolean, req: RestoreRequest, target: string): string | undefined {
  if (!exists && req.skipCreateCollection) return `${target} does not exist, and --skip_create_collection was given`;
  if (exists && !req.skipCreateCollection && !req.dropExistCollection) {
    return `${target} already exists (use --drop_exist_collection to replace it, or --skip_create_collection to import into it)`;
  }
  return undefined;
}

function actionFor(exists: boolean | undefined, req: RestoreRequest): CollectionAction {
  if (req.skipCreateCollection) return 'use-existing';
  if (req.dropExistCollection && exists !== false) return 'drop-and-create';
  return 'create';
}

interface PreviewInputs {
  req: RestoreRequest;
  plan: RestorePlan;
  gateway?: MilvusGateway;
  existing: Map<string, boolean>;
  existingDbs?: string[];
  staging: boolean;
  backupDir: string;
}

function previewCollection(i: PreviewInputs, t: CollectionTaskPlan, importMode: 'merged' | 'per-segment'): PreviewCollection {
  const c = t.collection;
  const target = nsKey(t.target);
  const exists = i.existing.get(target);
  const problems: string[] = [];
  const notes: string[] = [];
  const p = exists === undefined ? undefined : existenceProblem(exists, i.req, target);
  if (p) problems.push(p);
  const schema = c.schema;
  const split = schema ? schemaForCreate(schema, t.target.collection, { description: t.override.description }) : undefined;
  if (!schema) problems.push(`the backup has no schema for ${nsKey(t.source)}`);
  if (i.gateway) problems.push(...importV1CollectionProblems(i.gateway, c, Boolean(i.req.metaOnly)));
  if (split && split.addFieldNames.length > 0) notes.push(`fields added after creation to keep field ids: ${split.addFieldNames.join(', ')}`);
  let jobCount = { data: 0, l0: 0 };
  if (!i.req.metaOnly) {
    try {
      const jobs = planJobs(
        {
          backupDir: i.backupDir,
          maxSegmentsPerJob: i.req.config.restore.maxSegmentsPerImportJob,
          importMode,
          gateway: i.gateway ?? ({ features: { multiL0InOneJob: false } } as MilvusGateway),
          flags: i.req,
        },
        t,
        () => false,
      );
      jobCount = jobs.jobCount;
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const partitions = c.partitionBackups.map((pb) => {
    const n = partitionCounts(pb);
    return { name: pb.partitionName, segments: n.segments - n.l0Segments, l0Segments: n.l0Segments, rows: Number(n.rows), bytes: Number(pb.size) };
  });
  const counts = collectionCounts(c);
  if (c.shardsNum !== shardsFor(t, i.req.maxShardNum)) notes.push(`shards ${c.shardsNum} → ${shardsFor(t, i.req.maxShardNum)}`);
  if (c.aliases.length > 0) notes.push(`aliases are not restored: ${c.aliases.join(', ')}`);
  return {
    source: nsKey(t.source),
    target,
    targetDb: t.target.db,
    targetCollection: t.target.collection,
    action: actionFor(exists, i.req),
    exists,
    shards: shardsFor(t, i.req.maxShardNum),
    numPartitions: numPartitionsFor(t),
    createFields: split?.createFieldNames ?? [],
    addedFields: split?.addFieldNames ?? [],
    functions: schema?.functions.map((f) => f.name) ?? [],
    partitions,
    collectionL0Segments: c.l0Segments.length,
    segments: counts.segments,
    rows: Number(counts.rows),
    bytes: Number(c.size) || partitions.reduce((n, x) => n + x.bytes, 0),
    importJobs: jobCount,
    indexes: i.req.rebuildIndex
      ? indexRequests(c, Boolean(i.req.useAutoIndex)).map((r) => ({ field: r.fieldName, name: r.indexName, type: r.params.find((kv) => kv.key === 'index_type')?.value ?? '' }))
      : [],
    staging: i.staging && !i.req.metaOnly,
    problems,
    notes,
  };
}

/**
 * What a preview planned, kept for the run that follows it (`RestoreRequest.plan`) and off the preview itself,
 * which is plain data (JSON for `--dry-run --json`, rendered by the editor).
 */
interface Planned {
  name: string;
  backup: BackupInfo;
  plan: RestorePlan;
}
const planned = new WeakMap<RestorePreview, Planned>();

/** The meta and plan behind a preview planRestore returned; undefined for any other object. */
export function plannedBy(preview: RestorePreview): Planned | undefined {
  return planned.get(preview);
}

/** The preview; never throws for problems Milvus would report (they are in `problems`), only for bad requests. */
export async function planRestore(req: RestoreRequest): Promise<RestorePreview> {
  const warnings = checkFlags(req);
  const src = await openBackup(req);
  const milvusStore = openMilvusStore(req);
  let gw: { gateway: MilvusGateway; close(): Promise<void> } | undefined;
  const problems: string[] = [];
  try {
    checkFormat(src.backup);
    const plan = buildPlan(src.backup, req);
    warnings.push(...plan.notices);
    try {
      gw = await openGateway(req);
    } catch (e) {
      if (e instanceof UserError || e instanceof Error) problems.push(`cannot reach Milvus: ${e.message}`);
    }
    const gateway = gw?.gateway;
    const existing = new Map<string, boolean>();
    let existingDbs: string[] | undefined;
    let rbac: RestorePreview['rbac'];
    if (gateway) {
      existingDbs = await gateway.listDatabases();
      for (const t of plan.collections) {
        const k = nsKey(t.target);
        existing.set(k, existingDbs.includes(t.target.db) ? await gateway.hasCollection(t.target.db, t.target.collection) : false);
      }
      if (req.rbac) rbac = rbacCounts(rbacDelta(src.backup.rbacMeta, await gateway.backupRBAC()));
    }
    const { staging } = stagingFor(req, src.side, milvusStore.side);
    const importMode = gateway ? importModeFor(req, gateway) : req.importApi === 'grpc' ? 'per-segment' : 'merged';
    const inputs: PreviewInputs = { req, plan, gateway, existing, existingDbs, staging, backupDir: src.backupDir };
    const collections = plan.collections.map((t) => previewCollection(inputs, t, importMode));
    const compatibility: RestorePreview['compatibility'] = gateway ? restoreCompatibility(src.backup.milvusVersion ? parseVersion(src.backup.milvusVersion) : undefined, gateway.version) : { ok: true };
    if (!compatibility.ok) problems.push(compatibility.reason!);
    if (gateway) {
      problems.push(...importV1Problems(gateway, req));
      const notes = importV1Notes(gateway);
      if (notes.length) compatibility.notes = notes;
    }
    const nothing = nothingSelected(plan);
    if (nothing) problems.push(nothing);
    const dbs = databasesNeeded(plan);
    const preview: RestorePreview = {
      backup: { name: src.backup.name || req.name, milvusVersion: src.backup.milvusVersion, size: Number(src.backup.size), collections: src.backup.collectionBackups.length },
      target: { address: gateway?.address ?? `${req.config.milvus.grpc.address}:${req.config.milvus.grpc.port}`, milvusVersion: gateway?.version.raw },
      compatibility,
      mapping: plan.mapper.describe,
      importMode,
      maxSegmentsPerImportJob: req.config.restore.maxSegmentsPerImportJob,
      databasesToCreate: existingDbs ? dbs.filter((d) => !existingDbs!.includes(d)) : dbs,
      rbac,
      collections,
      totals: {
        collections: collections.length,
        segments: collections.reduce((n, c) => n + c.segments, 0),
        rows: collections.reduce((n, c) => n + c.rows, 0),
        bytes: collections.reduce((n, c) => n + c.bytes, 0),
        importJobs: collections.reduce((n, c) => n + c.importJobs.data + c.importJobs.l0, 0),
      },
      problems,
      warnings,
    };
    planned.set(preview, { name: req.name, backup: src.backup, plan });
    return preview;
  } finally {
    await gw?.close();
    await milvusStore.close();
    await src.close();
  }
}
