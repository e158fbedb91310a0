/**
 * Backed-up schema → the proto objects CreateCollection / AddCollectionField take (the Go tool's
 * `core/restore/conv` and `collDDLTask.convFields/createColl`). The result is encoded to exact bytes with
 * `encodeMessage(SCHEMA | FIELD_SCHEMA, …)`: the SDK's describe → create round trip is lossy (SDK notes).
 */
import { decodeMessage, VALUE_FIELD } from '../milvus/proto';
import type { CollectionSchema, FieldSchema, FunctionSchema, KeyValuePair } from '../meta/types';
import { splitFields } from './fieldAlign';

type ProtoObject = Record<string, unknown>;

/** Key/value pairs minus the skipped keys (Go `pbconv.BakKVToMilvusKV(kvs, skip...)`). */
export function kvs(list: readonly KeyValuePair[], skip: readonly string[] = []): Array<{ key: string; value: string }> {
  return list.filter((kv) => !skip.includes(kv.key)).map((kv) => ({ key: kv.key, value: kv.value }));
}

/**
 * The field's default value as a ValueField object: `default_value_base64` (0.5.5+) first, else the 0.4
 * `default_value_proto` string whose UTF-8 bytes are the proto bytes (Go: `[]byte(string)`; lossy for bytes
 * that were not valid UTF-8 when the backup was written — nothing can recover those).
 */
export function defaultValue(f: FieldSchema): ProtoObject | undefined {
  let bytes: Buffer | undefined;
  if (f.defaultValueBase64) bytes = Buffer.from(f.defaultValueBase64, 'base64');
  else if (f.defaultValueProto) bytes = Buffer.from(f.defaultValueProto, 'utf8');
  if (!bytes) return undefined;
  try {
    return decodeMessage(VALUE_FIELD, bytes);
  } catch (e) {
    throw new Error(`field ${f.name}: cannot decode its default value: ${(e as Error).message}`);
  }
}

function fieldProto(f: FieldSchema, skip: { fieldTypeParams?: string[]; fieldIndexParams?: string[] } = {}): ProtoObject {
  return {
    fieldID: f.fieldID.toString(),
    name: f.name,
    is_primary_key: f.isPrimaryKey,
    description: f.description,
    data_type: f.dataType,
    type_params: kvs(f.typeParams, skip.fieldTypeParams),
    index_params: kvs(f.indexParams, skip.fieldIndexParams),
    autoID: f.autoID,
    element_type: f.elementType,
    default_value: defaultValue(f),
    is_dynamic: f.isDynamic,
    is_partition_key: f.isPartitionKey,
    nullable: f.nullable,
    is_function_output: f.isFunctionOutput,
  };
}

function functionProto(fn: FunctionSchema): ProtoObject {
  return {
    name: fn.name,
    id: fn.id.toString(),
    description: fn.description,
    type: fn.type,
    input_field_names: fn.inputFieldNames,
    input_field_ids: fn.inputFieldIds.map(String),
    output_field_names: fn.outputFieldNames,
    output_field_ids: fn.outputFieldIds.map(String),
    params: kvs(fn.params),
  };
}

interface SchemaForCreate {
  /** CollectionSchema object for CreateCollection (fields below `$meta`'s id only). */
  schema: ProtoObject;
  /** FieldSchema objects to add afterwards, in order. */
  addFields: ProtoObject[];
  createFieldNames: string[];
  addFieldNames: string[];
}

export function schemaForCreate(
  s: CollectionSchema,
  targetName: string,
  o: { description?: string; skip?: { fieldTypeParams?: string[]; fieldIndexParams?: string[] } } = {},
): SchemaForCreate {
  const split = splitFields(s.fields, s.enableDynamicField);
  const schema: ProtoObject = {
    name: targetName,
    description: o.description || s.description,
    autoID: s.autoID,
    fields: split.create.map((f) => fieldProto(f, o.skip)),
    enable_dynamic_field: s.enableDynamicField,
    // Go sends every schema property here, unfiltered; skipParams only applies to the request properties.
    properties: kvs(s.properties),
    functions: s.functions.map(functionProto),
    struct_array_fields: s.structArrayFields.map((sf) => ({
      fieldID: sf.fieldID.toString(),
      name: sf.name,
      description: sf.description,
      fields: sf.fields.map((f) => fieldProto(f, o.skip)),
    })),
  };
  return {
    schema,
    addFields: split.add.map((f) => fieldProto(f, o.skip)),
    createFieldNames: split.create.map((f) => f.name),
    addFieldNames: split.add.map((f) => f.name),
  };
}

/** Data type names ending in "Vector" (Go: `strings.HasSuffix(lower(DataType_name), "vector")`). */
const VECTOR_TYPES = new Set([100, 101, 102, 103, 104, 105, 106]);
export const isVectorType = (dataType: number) => VECTOR_TYPES.has(dataType);

export const hasPartitionKey = (s: CollectionSchema | undefined) => Boolean(s?.fields.some((f) => f.isPartitionKey));
