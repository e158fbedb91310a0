/** Builds the data plane's CollectionView (data/api.ts) from a catalog record. */
import type { CollectionView, FieldView, Value } from './data/api.js';
import type { CollectionRecord, FieldSchemaObj } from './catalog.js';
import type { SimVersion } from './versions.js';

export function typeParam(f: FieldSchemaObj, key: string): string | undefined {
  const tp = (f.type_params as Array<{ key: string; value: string }> | undefined) ?? [];
  return tp.find((p) => p.key === key)?.value;
}

/** schema.ValueField (default_value) → a Row value of the field's type. */
export function defaultValueOf(f: FieldSchemaObj): Value | undefined {
  const dv = f.default_value as Record<string, unknown> | null | undefined;
  if (!dv || !dv.data) return undefined;
  const v = dv[dv.data as string];
  switch (f.data_type) {
    case 'Int64':
    case 'Timestamptz':
      return BigInt(v as string);
    case 'JSON':
      return Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'base64');
    default:
      return v as Value;
  }
}

export function fieldView(f: FieldSchemaObj): FieldView {
  const dim = typeParam(f, 'dim');
  const fv: FieldView = {
    fieldId: Number(f.fieldID),
    name: f.name,
    dataType: f.data_type,
    isPrimaryKey: Boolean(f.is_primary_key),
    autoID: Boolean(f.autoID),
    isPartitionKey: Boolean(f.is_partition_key),
    isDynamic: Boolean(f.is_dynamic),
    nullable: Boolean(f.nullable),
    isFunctionOutput: Boolean(f.is_function_output),
  };
  if (f.element_type && f.element_type !== 'None') fv.elementType = f.element_type as string;
  if (dim !== undefined) fv.dim = Number(dim);
  const d = defaultValueOf(f);
  if (d !== undefined) fv.defaultValue = d;
  return fv;
}

export function collectionView(c: CollectionRecord, dbId: string, version: SimVersion): CollectionView {
  return {
    dbName: c.dbName,
    dbId,
    collectionId: c.id,
    name: c.name,
    fields: c.schema.fields.map(fieldView),
    partitions: c.partitions.map((p) => ({ partitionId: p.id, name: p.name })),
    vchannels: c.vchannels,
    pchannels: c.pchannels,
    version: { major: version.major, minor: version.minor, patch: version.patch },
    properties: Object.fromEntries(c.properties.map((kv) => [kv.key, kv.value])),
  };
}
