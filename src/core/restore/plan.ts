/**
 * The restore plan (Go `core/restore/task.go`): which backed-up collections are restored, and under which names.
 * Pure: backup meta + request in, plan out; nothing here talks to Milvus or storage.
 *
 * Order of operations, as the Go tool (core/restore/task.go newDBAndCollTasks):
 *   1. backup filter — names as they are in the backup (the 0.5 CLI's -c/-d/-a, the seed's `-c coll`);
 *   2. mapping      — suffix or rename, one source possibly giving several targets;
 *   3. task filter  — `--filter`, names as they will be in Milvus (after rename).
 */
import { nameProblem } from '../meta/sanity';
import { UserError } from '../errors';
import { backupDbName } from '../meta/counts';
import type { BackupInfo, CollectionBackupInfo, DatabaseBackupInfo } from '../meta/types';
import {
  ALLOW_ALL, allowsCollection, allowsDb, FilterSyntaxError, parseFilter, selectionToFilter, type CollectionFilter,
} from '../names/filter';
import { nsKey, type Namespace } from '../layout';
import { mapperFor, ns, type CollectionMapper } from './mapping';
import type { CollectionOverride, RestoreRequest } from './types';

export interface CollectionTaskPlan {
  source: Namespace;
  target: Namespace;
  collection: CollectionBackupInfo;
  database?: DatabaseBackupInfo;
  override: CollectionOverride;
}

export interface DatabaseTaskPlan {
  source: string;
  target: string;
}

export interface RestorePlan {
  mapper: CollectionMapper;
  /** Backed-up databases (after both filters) to create on the target when missing; properties are not restored. */
  databases: DatabaseTaskPlan[];
  collections: CollectionTaskPlan[];
  /** Deprecated-flag notices (e.g. "-c is deprecated, use --filter …"). */
  notices: string[];
}

type PlanInput = Pick<RestoreRequest, 'suffix' | 'rename' | 'filter' | 'collections' | 'databases' | 'databaseCollections' | 'overrides'>;

function filterError(e: unknown): never {
  if (e instanceof FilterSyntaxError) throw new UserError(e.message, 'invalid-filter', 2);
  throw e;
}

export function buildPlan(backup: BackupInfo, req: PlanInput): RestorePlan {
  let backupFilter: CollectionFilter = ALLOW_ALL;
  let taskFilter: CollectionFilter = ALLOW_ALL;
  let notices: string[] = [];
  try {
    const sel = selectionToFilter('', { collections: req.collections, databases: req.databases, databaseCollections: req.databaseCollections }, 'restore');
    backupFilter = sel.filter;
    notices = sel.notices.map((n) =>
      n.replace(/use --filter (.*) instead$/, 'it selects names in the backup (before -s/-r); --filter selects target names'),
    );
    if (req.filter) taskFilter = parseFilter(req.filter);
  } catch (e) {
    filterError(e);
  }
  const mapper = mapperFor(req);

  // 1. backup filter
  const dbBackups = backup.databaseBackups.filter((d) => allowsDb(backupFilter, backupDbName(d)));
  const collBackups = backup.collectionBackups.filter((c) => allowsCollection(backupFilter, backupDbName(c), c.collectionName));

  // 2. mapping
  const dbByName = new Map(dbBackups.map((d) => [backupDbName(d), d]));
  const collections: CollectionTaskPlan[] = [];
  for (const c of collBackups) {
    const source = ns(c.dbName, c.collectionName);
    for (const target of mapper.targets(source)) {
      collections.push({
        source,
        target,
        collection: c,
        database: dbByName.get(source.db),
        override: req.overrides?.[nsKey(target)] ?? {},
      });
    }
  }
  // A database follows a `db1.*:db2.*` move; otherwise it keeps its name (Go's CLI has no database mapping and
  // would create the source name too when only single collections are renamed away: we do not — see below).
  const databases: DatabaseTaskPlan[] = dbBackups.map((d) => ({ source: backupDbName(d), target: mapper.targetDb(backupDbName(d)) }));

  // 3. task filter (target names)
  const keptColls = collections.filter((t) => allowsCollection(taskFilter, t.target.db, t.target.collection));
  const targetDbsOfColls = new Set(keptColls.map((t) => t.target.db));
  const keptDbs = databases.filter((d) => {
    if (!allowsDb(taskFilter, d.target)) return false;
    // A backed-up database all of whose selected collections were renamed into other databases is not created
    // empty on the target (Go does create it: a stray database is the surprise we avoid). A database with no
    // collections at all in the backup is still restored, as in Go.
    const hadColls = collBackups.some((c) => backupDbName(c) === d.source);
    return !hadColls || targetDbsOfColls.has(d.target);
  });

  // Two sources landing on one target would make the second create fail half-way; refuse before starting.
  const seen = new Map<string, string>();
  for (const t of keptColls) {
    const k = nsKey(t.target);
    // a target Milvus would refuse (a suffix making it longer than 255) fails here, not after earlier creates
    const bad = nameProblem('collection', t.target.collection, `target ${k}`) ?? nameProblem('database', t.target.db, `target ${k}`, true);
    if (bad) throw new UserError(`restore: ${bad}`, 'invalid-target-name', 2);
    const prev = seen.get(k);
    if (prev !== undefined && prev !== nsKey(t.source)) {
      throw new UserError(`both ${prev} and ${nsKey(t.source)} would be restored as ${k}; adjust -s/-r/--filter`, 'target-collision', 2);
    }
    if (prev !== undefined) throw new UserError(`${k} is named twice as a target`, 'target-collision', 2);
    seen.set(k, nsKey(t.source));
  }
  for (const key of Object.keys(req.overrides ?? {})) {
    if (!seen.has(key)) notices.push(`override for ${key} matches no restored collection (overrides are keyed by target db.coll)`);
  }
  return { mapper, databases: dedupeDbs(keptDbs), collections: keptColls, notices };
}

function dedupeDbs(dbs: DatabaseTaskPlan[]): DatabaseTaskPlan[] {
  const seen = new Set<string>();
  return dbs.filter((d) => (seen.has(d.target) ? false : (seen.add(d.target), true)));
}

/** Why the plan restores nothing, or undefined — one wording for the preview's problem and the run's error. */
export function nothingSelected(plan: RestorePlan): string | undefined {
  if (plan.collections.length > 0 || plan.databases.length > 0) return undefined;
  return 'nothing to restore: the backup filter, rename and --filter select no collection and no database (note: --filter names targets, after -s/-r)';
}

/** The databases to create: backed-up ones, then the targets of collections (Go: runDBTasks + prepareDB). */
export function databasesNeeded(plan: RestorePlan): string[] {
  const out: string[] = [];
  for (const d of plan.databases) if (!out.includes(d.target)) out.push(d.target);
  for (const c of plan.collections) if (!out.includes(c.target.db)) out.push(c.target.db);
  return out;
}
