/**
 * The collection filter grammar shared by `create` and `restore` (the Go tool's `internal/filter`):
 *
 *   `--filter a,db1.b,db2.*,db3.`
 *     - `coll`      → collection `coll` in database `default`
 *     - `db.coll`   → collection `coll` in database `db`
 *     - `db.*`      → every collection of database `db`
 *     - `db.`       → database `db` only (its database info, no collections)
 *
 * Names are `\w+` (ASCII letters, digits, underscore), as in Go's regexes. An empty filter string means
 * "everything". Rules are a union: `db.coll,db.*` and `db.*,db.coll` both allow all of `db`, and
 * `db.coll,db.` still allows `db.coll`. (Go's map writes panic on `db.*,db.coll` and let a later `db.`
 * drop earlier names; a union is what anyone writing those lists means.)
 *
 * The 0.5 line's deprecated flags (`-c/--colls`, `-d/--databases`, `-a/--database_collections`) are
 * translated here too, so the CLI can accept them with a notice; the precedence when several are given is
 * Go's (`--filter` > `-a` > `-c` > `-d` for create).
 */

export const DEFAULT_DB = 'default';

/** What a filter allows inside one database. */
export interface DbRule {
  /** `db.*`: every collection. */
  allCollections: boolean;
  /** Named collections (empty and `allCollections` false = the database alone, `db.`). */
  collections: Set<string>;
}

/** `undefined` rules = no filter: every database and collection is allowed. */
export interface CollectionFilter {
  readonly rules: ReadonlyMap<string, DbRule> | undefined;
}

export const ALLOW_ALL: CollectionFilter = { rules: undefined };

/** Thrown for a rule the grammar does not accept; the message names the rule. */
export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

const WORD = '[A-Za-z0-9_]+';
const RULE_DB_ALL = new RegExp(`^(${WORD})\\.\\*$`);
const RULE_DB_COLL = new RegExp(`^(${WORD})\\.(${WORD})$`);
const RULE_COLL = new RegExp(`^(${WORD})$`);
const RULE_DB_ONLY = new RegExp(`^(${WORD})\\.$`);

/** Parse `a,db1.b,db2.*,db3.`; `''` (or only whitespace) = no filter. */
export function parseFilter(s: string): CollectionFilter {
  if (s.trim() === '') return ALLOW_ALL;
  const rules = new Map<string, DbRule>();
  for (const raw of s.split(',')) {
    // Go does not trim; we accept `a, b` since shells and humans produce it, and nothing valid has spaces.
    const rule = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = RULE_DB_ALL.exec(rule))) {
      const cur = rules.get(m[1]!);
      if (cur) cur.allCollections = true;
      else rules.set(m[1]!, { allCollections: true, collections: new Set() });
    } else if ((m = RULE_DB_COLL.exec(rule))) {
      addCollection(rules, m[1]!, m[2]!);
    } else if ((m = RULE_COLL.exec(rule))) {
      addCollection(rules, DEFAULT_DB, m[1]!);
    } else if ((m = RULE_DB_ONLY.exec(rule))) {
      if (!rules.has(m[1]!)) rules.set(m[1]!, { allCollections: false, collections: new Set() });
    } else {
      throw new FilterSyntaxError(
        `invalid filter rule "${raw}": use coll, db.coll, db.* or db. (names are letters, digits and _), separated by commas`,
      );
    }
  }
  return { rules };
}

function addCollection(rules: Map<string, DbRule>, db: string, coll: string): void {
  const cur = rules.get(db);
  if (cur) cur.collections.add(coll);
  else rules.set(db, { allCollections: false, collections: new Set([coll]) });
}

export function allowsDb(f: CollectionFilter, db: string): boolean {
  return f.rules === undefined || f.rules.has(db);
}

export function allowsCollection(f: CollectionFilter, db: string, collection: string): boolean {
  if (f.rules === undefined) return true;
  const r = f.rules.get(db);
  if (!r) return false;
  return r.allCollections || r.collections.has(collection);
}

/** Canonical text form (round-trips through parseFilter); `''` for allow-all. */
export function formatFilter(f: CollectionFilter): string {
  if (f.rules === undefined) return '';
  const parts: string[] = [];
  for (const [db, r] of f.rules) {
    if (r.allCollections) parts.push(`${db}.*`);
    else if (r.collections.size === 0) parts.push(`${db}.`);
    else for (const c of r.collections) parts.push(db === DEFAULT_DB ? c : `${db}.${c}`);
  }
  return parts.join(',');
}

/** Parse `db.coll` or `coll` (default db), as Go's namespace.Parse: exactly one dot at most, both sides non-empty. */
export function parseNamespace(ns: string): { db: string; collection: string } {
  if (ns === '') throw new FilterSyntaxError('namespace is empty');
  if (ns.includes('.')) {
    const parts = ns.split('.');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new FilterSyntaxError(`invalid collection name "${ns}": use coll or db.coll`);
    }
    return { db: parts[0]!, collection: parts[1]! };
  }
  return { db: DEFAULT_DB, collection: ns };
}

interface DeprecatedSelection {
  /** `-c/--colls` (create) or `-c/--collections` (restore): `coll1,db2.coll2`. */
  collections?: string;
  /** `-d/--databases`: `db1,db2` → every collection of each. */
  databases?: string;
  /** `-a/--database_collections`: JSON `{"db1":["c1"],"db2":[]}` (empty list = the whole db). */
  databaseCollections?: string;
}

interface TranslatedSelection {
  filter: CollectionFilter;
  /** One notice per deprecated flag used, to print as a warning. */
  notices: string[];
}

/**
 * Combine `--filter` with the deprecated flags the way the 0.5 create command does: `--filter` wins, then
 * `-a`, then `-c`, then `-d` (the others are ignored, which we say in the notice). Each deprecated flag
 * used yields a notice naming the equivalent `--filter`.
 */
export function selectionToFilter(
  filter: string | undefined,
  dep: DeprecatedSelection,
  /**
   * `create` (default): precedence as above. `restore`: the 0.5 restore command refuses any two of
   * `--filter`, `-c`, `-d`, `-a` together, so we throw a FilterSyntaxError naming the pair.
   */
  mode: 'create' | 'restore' = 'create',
): TranslatedSelection {
  if (mode === 'restore') {
    const given: string[] = [];
    if (filter && filter.trim() !== '') given.push('--filter');
    if (dep.collections) given.push('-c/--collections');
    if (dep.databases) given.push('-d/--databases');
    if (dep.databaseCollections) given.push('-a/--database_collections');
    if (given.length > 1) throw new FilterSyntaxError(`${given[0]} and ${given[1]} cannot be set at the same time`);
  }
  const notices: string[] = [];
  const used: Array<[keyof DeprecatedSelection, string, string]> = [];
  if (dep.databaseCollections) used.push(['databaseCollections', '-a/--database_collections', dep.databaseCollections]);
  if (dep.collections) used.push(['collections', '-c', dep.collections]);
  if (dep.databases) used.push(['databases', '-d/--databases', dep.databases]);

  let chosen: CollectionFilter | undefined;
  if (filter && filter.trim() !== '') chosen = parseFilter(filter);
  for (const [key, flag, value] of used) {
    const translated = translateDeprecated(key, value);
    if (chosen === undefined) {
      chosen = translated;
      notices.push(`${flag} is deprecated, use --filter ${quoteArg(formatFilter(translated))} instead`);
    } else {
      notices.push(`${flag} is deprecated and was ignored because a higher-precedence selection was given; use --filter`);
    }
  }
  return { filter: chosen ?? ALLOW_ALL, notices };
}

function translateDeprecated(key: keyof DeprecatedSelection, value: string): CollectionFilter {
  const rules = new Map<string, DbRule>();
  if (key === 'collections') {
    for (const part of value.split(',')) {
      const ns = parseNamespace(part.trim());
      addCollection(rules, ns.db, ns.collection);
    }
  } else if (key === 'databases') {
    for (const part of value.split(',')) {
      const db = part.trim();
      if (db === '') continue;
      rules.set(db, { allCollections: true, collections: new Set() });
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (e) {
      throw new FilterSyntaxError(`invalid -a/--database_collections JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new FilterSyntaxError('-a/--database_collections must be a JSON object like {"db1":["c1","c2"],"db2":[]}');
    }
    for (const [db, colls] of Object.entries(parsed as Record<string, unknown>)) {
      if (colls !== null && (!Array.isArray(colls) || colls.some((c) => typeof c !== 'string'))) {
        throw new FilterSyntaxError(`-a/--database_collections: the value for "${db}" must be a list of collection names`);
      }
      const list = (colls ?? []) as string[];
      rules.set(db, list.length === 0
        ? { allCollections: true, collections: new Set() }
        : { allCollections: false, collections: new Set(list) });
    }
  }
  return { rules };
}

function quoteArg(s: string): string {
  return /^[A-Za-z0-9_.,]+$/.test(s) ? s : `'${s}'`;
}
