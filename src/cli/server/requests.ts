import type { Strategy } from '../../core/backup';
import { parseStrategy } from '../../core/backup';
import { UserError } from '../../core/errors';
import { selectionToFilter, type CollectionFilter } from '../../core/names/filter';
import type { RestoreRequest } from '../../core/restore';

/**
 * The Go tool's request bodies (backuppb.CreateBackupRequest, RestoreBackupRequest; docs/swagger.yaml) turned
 * into our engine's options. Go binds them with encoding/json, which matches keys case-insensitively, so
 * `field` does too. Fields we cannot honour are refused by name, never silently dropped.
 */
export type Body = Record<string, unknown>;

export function field(body: Body, name: string): unknown {
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(body)) if (k.toLowerCase() === lower) return body[k];
  return undefined;
}

const str = (b: Body, n: string): string => {
  const v = field(b, n);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new UserError(`${n} must be a string`, 'bad-request');
  return v;
};
const bool = (b: Body, n: string): boolean => {
  const v = field(b, n);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new UserError(`${n} must be a boolean`, 'bad-request');
  return v;
};
const strings = (b: Body, n: string): string[] => {
  const v = field(b, n);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new UserError(`${n} must be an array of strings`, 'bad-request');
  return v as string[];
};
/** `db_collections` is a JSON string in the proto (`{"db":["c1"]}`); an object is taken as well. */
const dbCollections = (b: Body, n: string): string | undefined => {
  const v = field(b, n);
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
};

function refuse(b: Body, names: string[], why: string): void {
  for (const n of names) {
    const v = field(b, n);
    if (v !== undefined && v !== null && v !== '' && v !== false && v !== 0) throw new UserError(`${n} is not supported: ${why}`, 'not-supported');
  }
}

export interface CreateParams {
  name: string;
  filter: CollectionFilter;
  strategy: Strategy;
  rbac: boolean;
  async: boolean;
}

/** backuppb.CreateBackupRequest → our create options (Go core/server/create.go toFilter/toStrategy). */
export function createParams(b: Body): CreateParams {
  refuse(b, ['backup_root_path'], 'the backup root is the config file\'s (minio.backupRootPath / backup.storage.rootPath)');
  refuse(b, ['with_index_extra'], 'it reads index details from Milvus\'s etcd, which this tool does not access');
  refuse(b, ['gc_pause_address', 'gc_pause_seconds'], 'GC pause is configured in the config file (backup.gcPause.*)');
  // `filter`: {db: {colls: [...]}}; `["*"]` = every collection of db, `[]` = the database alone (Go filter.FromPB)
  let filter: string | undefined;
  const f = field(b, 'filter');
  if (f !== undefined && f !== null) {
    if (typeof f !== 'object' || Array.isArray(f)) throw new UserError('filter must be an object {db: {colls: [...]}}', 'bad-request');
    const rules: string[] = [];
    for (const [db, cf] of Object.entries(f as Record<string, { colls?: unknown }>)) {
      const colls = cf?.colls;
      if (colls !== undefined && (!Array.isArray(colls) || colls.some((c) => typeof c !== 'string'))) throw new UserError(`filter.${db}.colls must be an array of strings`, 'bad-request');
      if (Array.isArray(colls) && colls.length === 1 && colls[0] === '*') rules.push(`${db}.*`);
      else if (!colls || colls.length === 0) rules.push(`${db}.`);
      else for (const c of colls as string[]) rules.push(`${db}.${c}`);
    }
    filter = rules.join(',');
  }
  const sel = selectionToFilter(filter, { collections: strings(b, 'collection_names').join(',') || undefined, databaseCollections: dbCollections(b, 'db_collections') });
  let strategy = parseStrategy(str(b, 'strategy') || undefined);
  if (!str(b, 'strategy') && bool(b, 'force')) strategy = 'skip_flush';
  else if (!str(b, 'strategy') && bool(b, 'meta_only')) strategy = 'meta_only';
  return { name: str(b, 'backup_name'), filter: sel.filter, strategy, rbac: bool(b, 'rbac'), async: bool(b, 'async') };
}

export type RestoreParams = Omit<RestoreRequest, 'config' | 'signal' | 'onProgress'> & { async: boolean };

/** backuppb.RestoreBackupRequest → our restore options (Go core/server/restore.go newPlanFromRequest). */
export function restoreParams(b: Body): RestoreParams {
  refuse(b, ['bucket_name', 'path'], 'the backup storage is the config file\'s');
  refuse(b, ['restorePlan'], 'use collection_renames and db_collections_after_rename');
  refuse(b, ['skipImportDiskQuotaCheck'], 'this tool does not change Milvus\'s disk quota');
  const name = str(b, 'backup_name');
  if (!name) throw new UserError('backup name is required', 'parameter-error');
  const suffix = str(b, 'collection_suffix');
  const renames = field(b, 'collection_renames');
  if (renames !== undefined && renames !== null && (typeof renames !== 'object' || Array.isArray(renames))) throw new UserError('collection_renames must be an object {"source": "target"}', 'bad-request');
  const rename = Object.entries((renames ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}:${String(v)}`).join(',');
  if (suffix && /[^A-Za-z0-9_]/.test(suffix)) throw new UserError('only alphanumeric characters and underscores are allowed in collection suffix', 'parameter-error');
  if (bool(b, 'dropExistCollection') && bool(b, 'skipCreateCollection')) throw new UserError('drop_exist_collection and skip_create_collection cannot be true at the same time', 'parameter-error');
  // db_collections_after_rename selects targets, like the CLI's --filter: {"db": ["c1"], "db2": []}
  let filter: string | undefined;
  const after = dbCollections(b, 'db_collections_after_rename');
  if (after) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(after);
    } catch {
      throw new UserError('db_collections_after_rename is not valid JSON', 'bad-request');
    }
    filter = Object.entries(parsed as Record<string, string[]>).flatMap(([db, cs]) => (cs?.length ? cs.map((c) => `${db || 'default'}.${c}`) : [`${db || 'default'}.*`])).join(',');
  }
  const skip = field(b, 'skipParams') as Record<string, string[]> | undefined;
  const maxShardNum = field(b, 'maxShardNum');
  return {
    name,
    taskId: str(b, 'id') || undefined,
    suffix: suffix || undefined,
    rename: rename || undefined,
    filter,
    collections: strings(b, 'collection_names').join(',') || undefined,
    databaseCollections: dbCollections(b, 'db_collections'),
    rebuildIndex: bool(b, 'restoreIndex'),
    useAutoIndex: bool(b, 'useAutoIndex'),
    dropExistCollection: bool(b, 'dropExistCollection'),
    dropExistIndex: bool(b, 'dropExistIndex'),
    skipCreateCollection: bool(b, 'skipCreateCollection'),
    metaOnly: bool(b, 'metaOnly'),
    rbac: bool(b, 'rbac'),
    truncateBinlogByTs: bool(b, 'truncateBinlogByTs'),
    maxShardNum: typeof maxShardNum === 'number' && maxShardNum > 0 ? maxShardNum : undefined,
    skipParams: skip ? { collectionProperties: skip.collectionProperties, fieldTypeParams: skip.fieldTypeParams, fieldIndexParams: skip.fieldIndexParams } : undefined,
    importApi: 'auto',
    verifyRowCount: true,
    async: bool(b, 'async'),
  };
}
