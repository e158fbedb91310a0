/**
 * CollectionSchema bytes of CreateCollection / FieldSchema bytes of AddCollectionField → stored schema objects,
 * with field ids assigned as RootCoord does (internal/rootcoord/create_collection_task.go): user fields from 100
 * in schema order, the dynamic `$meta` JSON field appended right after them when enable_dynamic_field is set,
 * function ids from 100 and function input/output field ids resolved by name. DescribeCollection (proxy
 * describeCollectionTask) hides the system fields (0, 1) and the dynamic field.
 */
import { lookupType } from './protos.js';
import type { FieldSchemaObj, SchemaObj } from './catalog.js';
import { errors, MilvusError, ErrCode } from './milvusError.js';

/** common.StartOfUserFieldID / StartOfUserFunctionID. */
export const START_OF_USER_FIELD_ID = 100;
export const META_FIELD_NAME = '$meta';

const OPTS = { longs: String, enums: String, defaults: true, oneofs: true, bytes: String } as const;

export function decodeSchema(bytes: Uint8Array): SchemaObj {
  const t = lookupType('milvus.proto.schema.CollectionSchema');
  let msg;
  try {
    msg = t.decode(bytes);
  } catch (e) {
    throw errors.paramRaw(`failed to unmarshal collection schema: ${(e as Error).message}`);
  }
  return t.toObject(msg, OPTS) as SchemaObj;
}

export function decodeFieldSchema(bytes: Uint8Array): FieldSchemaObj {
  const t = lookupType('milvus.proto.schema.FieldSchema');
  try {
    return t.toObject(t.decode(bytes), OPTS) as FieldSchemaObj;
  } catch (e) {
    throw errors.paramRaw(`failed to unmarshal field schema: ${(e as Error).message}`);
  }
}

const VECTOR_TYPES = new Set(['FloatVector', 'BinaryVector', 'Float16Vector', 'BFloat16Vector', 'SparseFloatVector', 'Int8Vector']);

export function isVector(t: string): boolean {
  return VECTOR_TYPES.has(t);
}

/** Validation the proxy does before RootCoord sees the schema (proxy/task.go createCollectionTask.PreExecute). */
export function validateSchema(s: SchemaObj): void {
  const names = new Set<string>();
  for (const f of s.fields) {
    if (!f.name) throw errors.paramRaw('field name should not be empty');
    if (names.has(f.name)) throw errors.paramRaw(`duplicated field name ${f.name} found`);
    names.add(f.name);
    if (f.name === META_FIELD_NAME) throw errors.paramRaw(`Invalid field name: ${f.name}. The first character of a field name must be an underscore or letter.`);
    if (isVector(f.data_type) && f.data_type !== 'SparseFloatVector') {
      const dim = ((f.type_params as Array<{ key: string; value: string }>) ?? []).find((p) => p.key === 'dim')?.value;
      if (!dim || !(Number(dim) > 0)) throw errors.paramRaw(`dimension is not defined in field type params of field ${f.name}, check type param \`dim\` for vector field`);
    }
  }
  const pks = s.fields.filter((f) => f.is_primary_key);
  if (pks.length === 0) throw errors.paramRaw('primary key is not specified');
  if (pks.length > 1) throw errors.paramRaw('there are more than one primary key');
  if (!['Int64', 'VarChar'].includes(pks[0].data_type)) throw errors.paramRaw('the data type of primary key should be Int64 or VarChar');
  if (!s.fields.some((f) => isVector(f.data_type))) {
    throw new MilvusError(ErrCode.ParameterInvalid, 'schema does not contain vector field: invalid parameter');
  }
  if (s.fields.filter((f) => f.is_partition_key).length > 1) throw errors.paramRaw('there are more than one partition key');
}

/** Assigns field ids (100…), appends `$meta`, resolves function ids. Client-sent field ids are ignored, as in Milvus. */
export function assignIds(s: SchemaObj): SchemaObj {
  const fields: FieldSchemaObj[] = s.fields.map((f, i) => ({ ...f, fieldID: String(START_OF_USER_FIELD_ID + i) }));
  if (s.enable_dynamic_field) {
    fields.push({
      fieldID: String(START_OF_USER_FIELD_ID + fields.length),
      name: META_FIELD_NAME,
      description: 'dynamic schema',
      data_type: 'JSON',
      is_dynamic: true,
      is_primary_key: false,
      type_params: [],
      index_params: [],
      autoID: false,
      state: 'FieldCreated',
      element_type: 'None',
      default_value: null,
      is_partition_key: false,
      is_clustering_key: false,
      nullable: false,
      is_function_output: false,
    });
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  const functions = (s.functions ?? []).map((fn, i) => ({
    ...fn,
    id: String(START_OF_USER_FIELD_ID + i),
    input_field_ids: ((fn.input_field_names as string[]) ?? []).map((n) => {
      const f = byName.get(n);
      if (!f) throw errors.paramRaw(`function input field not found: ${n}`);
      return f.fieldID;
    }),
    output_field_ids: ((fn.output_field_names as string[]) ?? []).map((n) => {
      const f = byName.get(n);
      if (!f) throw errors.paramRaw(`function output field not found: ${n}`);
      f.is_function_output = true;
      return f.fieldID;
    }),
  }));
  return { ...s, fields, functions };
}

/** The schema as DescribeCollection shows it: user fields only, `$meta` hidden. */
export function describedSchema(s: SchemaObj, dbName: string): Record<string, unknown> {
  return {
    ...s,
    fields: s.fields.filter((f) => !f.is_dynamic && Number(f.fieldID) >= START_OF_USER_FIELD_ID),
    dbName,
  };
}

export function nextFieldId(s: SchemaObj): number {
  return Math.max(START_OF_USER_FIELD_ID - 1, ...s.fields.map((f) => Number(f.fieldID))) + 1;
}
