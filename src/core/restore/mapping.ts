/**
 * Where each backed-up collection goes (the Go tool's `TableMapper`/`SuffixMapper` in
 * core/restore/task.go and `newTableMapperFromCollRename` in cmd/restore/restore.go).
 *
 *   -s/--suffix _bak                      → db.c  → db.c_bak
 *   -r db1.*:db2.*                        → db1.c → db2.c        (moves a whole database)
 *   -r c1:c2                              → default.c1 → default.c2
 *   -r db1.c1:db2.c2                      → db1.c1 → db2.c2
 *   -r db1.:db2.                          → accepted and ignored (Go parses it for a database mapping it never uses)
 *
 * An exact `db.coll` rule wins over a database wildcard. One source may be named several times to restore it
 * into several targets (`-r c1:c2,c1:c3`): Go's CLI keeps only the last of those because it goes through a Go
 * map; we keep them all, in the order given, since that is what the REST plan allows and what a user writing
 * it means.
 */
import { UserError } from '../errors';
import { nsKey, type Namespace } from '../layout/namespace';
import { DEFAULT_DB, parseNamespace } from '../names/filter';


export function ns(db: string, collection: string): Namespace {
  return { db: db === '' ? DEFAULT_DB : db, collection };
}

export interface CollectionMapper {
  /** Every target of one source namespace (at least one). */
  targets(source: Namespace): Namespace[];
  /** The target database of a backed-up database (database wildcards only; identity otherwise). */
  targetDb(sourceDb: string): string;
  /** Human-readable description for the preview, e.g. `suffix "_bak"`. */
  readonly describe: string;
}

export const identityMapper: CollectionMapper = {
  targets: (s) => [ns(s.db, s.collection)],
  targetDb: (db) => db,
  describe: 'same names',
};

export function suffixMapper(suffix: string): CollectionMapper {
  if (!/^[A-Za-z0-9_]+$/.test(suffix)) {
    // Go's REST server validates this; the CLI does not, and Milvus then rejects the name. Say so up front.
    throw new UserError(`invalid suffix "${suffix}": use letters, digits and _ only`, 'invalid-suffix', 2);
  }
  return {
    targets: (s) => [ns(s.db, s.collection + suffix)],
    targetDb: (db) => db,
    describe: `suffix "${suffix}"`,
  };
}

interface RenameRules {
  /** source db → target db, from `db1.*:db2.*` */
  dbWildcard: Map<string, string>;
  /** `db.coll` → targets, from `db1.c1:db2.c2` and `c1:c2` */
  exact: Map<string, Namespace[]>;
}

const WORD = '[A-Za-z0-9_]+';
const DB_ALL = new RegExp(`^(${WORD})\\.\\*$`);
const DB_COLL = new RegExp(`^(${WORD})\\.(${WORD})$`);
const COLL = new RegExp(`^(${WORD})$`);
const DB_ONLY = new RegExp(`^(${WORD})\\.$`);

function ruleType(s: string): 1 | 2 | 3 | 4 | 0 {
  if (DB_ALL.test(s)) return 1;
  if (DB_COLL.test(s)) return 2;
  if (COLL.test(s)) return 3;
  if (DB_ONLY.test(s)) return 4;
  return 0;
}

/** Parses the `-r` value. Both sides of a rule must have the same shape (Go: `InferMapperRuleType`). */
export function parseRename(text: string): RenameRules {
  const rules: RenameRules = { dbWildcard: new Map(), exact: new Map() };
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const parts = entry.split(':');
    if (parts.length !== 2) {
      throw new UserError(`rename rule "${entry}" must be source:target (e.g. db1.*:db2.*, c1:c2, db1.c1:db2.c2)`, 'invalid-rename', 2);
    }
    const [src, dst] = parts.map((p) => p.trim()) as [string, string];
    const ts = ruleType(src);
    const td = ruleType(dst);
    if (ts === 0 || td === 0) {
      throw new UserError(`rename rule "${entry}": names are letters, digits and _ (forms: db.*, db.coll, coll, db.)`, 'invalid-rename', 2);
    }
    if (ts !== td) {
      throw new UserError(`rename rule "${entry}": both sides must have the same form (db.*:db.*, db.coll:db.coll, coll:coll or db.:db.)`, 'invalid-rename', 2);
    }
    if (ts === 1) {
      const from = src.slice(0, -2);
      const prev = rules.dbWildcard.get(from);
      const to = dst.slice(0, -2);
      if (prev !== undefined && prev !== to) {
        throw new UserError(`rename rules move database "${from}" to both "${prev}" and "${to}"`, 'invalid-rename', 2);
      }
      rules.dbWildcard.set(from, to);
    } else if (ts === 2 || ts === 3) {
      const s = parseNamespace(src);
      const d = parseNamespace(dst);
      const key = nsKey({ db: s.db, collection: s.collection });
      const list = rules.exact.get(key) ?? [];
      if (!list.some((t) => t.db === d.db && t.collection === d.collection)) list.push({ db: d.db, collection: d.collection });
      rules.exact.set(key, list);
    }
    // ts === 4 (`db1.:db2.`): parsed and ignored, as in Go.
  }
  return rules;
}

export function renameMapper(text: string): CollectionMapper {
  const rules = parseRename(text);
  return {
    targets(s) {
      const exact = rules.exact.get(nsKey(ns(s.db, s.collection)));
      if (exact) return exact.map((t) => ({ ...t }));
      const db = rules.dbWildcard.get(ns(s.db, s.collection).db);
      if (db !== undefined) return [ns(db, s.collection)];
      return [ns(s.db, s.collection)];
    },
    targetDb: (db) => rules.dbWildcard.get(db) ?? db,
    describe: `rename ${text}`,
  };
}

/** The mapper of a restore request: suffix and rename are mutually exclusive (Go CLI and REST both refuse). */
export function mapperFor(o: { suffix?: string; rename?: string }): CollectionMapper {
  const suffix = o.suffix ?? '';
  const rename = o.rename ?? '';
  if (suffix !== '' && rename !== '') {
    throw new UserError('suffix and rename cannot be set at the same time', 'suffix-and-rename', 2);
  }
  if (rename !== '') return renameMapper(rename);
  if (suffix !== '') return suffixMapper(suffix);
  return identityMapper;
}
