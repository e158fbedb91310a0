/**
 * Field-id alignment (Go `core/restore/funcs/funcs.go`, `coll_ddl_task.go`: the Go tool's `funcs.GuessDynFieldID` and `collDDLTask.fields`).
 *
 * Binlog import maps data to fields by field id, and Milvus assigns ids itself: 100, 101, … in schema order,
 * with the dynamic `$meta` field right after the fields given to CreateCollection. A collection that later
 * got fields through AddCollectionField therefore has `$meta` *between* user fields (e.g. 100, 101, $meta=102,
 * 103). To get the same ids on the target, the fields below `$meta`'s id go into CreateCollection and the
 * rest are added one by one afterwards, in id order.
 *
 * `$meta`'s id: the backed-up `$meta` field's own id when the schema has it (0.5.10+ with etcd); else the
 * first gap in the sorted user field ids; else max + 1. Go drops `$meta` before guessing, so it always
 * guesses; using the known id is the same answer whenever the guess is right and the right answer otherwise.
 */
interface AlignableField {
  fieldID: bigint;
  name: string;
  isDynamic: boolean;
}

/** Milvus system fields (row id 0, timestamp 1) are below 100 and never user fields. */
const isSystemField = (id: bigint) => id < 100n;

export function guessDynamicFieldId(fields: readonly AlignableField[]): bigint {
  const dyn = fields.find((f) => f.isDynamic);
  if (dyn) return dyn.fieldID;
  const ids = fields.filter((f) => !isSystemField(f.fieldID)).map((f) => f.fieldID).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) return 100n; // Go would index out of range; a schema with no user field cannot be created anyway
  for (let i = 0; i + 1 < ids.length; i++) {
    if (ids[i + 1]! !== ids[i]! + 1n) return ids[i]! + 1n;
  }
  return ids[ids.length - 1]! + 1n;
}

interface FieldSplit<F> {
  /** Sent in CreateCollection (schema order kept). */
  create: F[];
  /** Added after creation with AddCollectionField, in field-id order. */
  add: F[];
  /** The id `$meta` is expected to get (undefined without a dynamic field). */
  dynamicFieldId?: bigint;
}

/** Splits the fields; `$meta` itself is never sent (Milvus creates it; AddCollectionField rejects it). */
export function splitFields<F extends AlignableField>(fields: readonly F[], enableDynamicField: boolean): FieldSplit<F> {
  const userFields = fields.filter((f) => !f.isDynamic);
  if (!enableDynamicField) return { create: userFields, add: [] };
  const dyn = guessDynamicFieldId(fields);
  const create = userFields.filter((f) => f.fieldID < dyn);
  const add = userFields.filter((f) => f.fieldID >= dyn).sort((a, b) => (a.fieldID < b.fieldID ? -1 : a.fieldID > b.fieldID ? 1 : 0));
  return { create, add, dynamicFieldId: dyn };
}
