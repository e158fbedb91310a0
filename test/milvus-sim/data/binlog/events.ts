/**
 * The binlog file framing of Milvus storage v0/v1 (milvus-io/milvus internal/storage: binlog_writer.go,
 * binlog_reader.go, event_header.go, event_data.go, event_writer.go, event_reader.go). Little endian
 * (common.Endian) throughout:
 *
 *   magic int32 = 0xfffabc (MagicNumber)
 *   descriptor event: header {timestamp uint64, typeCode int8 = 0, eventLength int32, nextPosition int32}
 *                     data   {collectionID, partitionID, segmentID, fieldID int64, startTs, endTs uint64,
 *                             payloadDataType int32, postHeaderLengths [8]uint8, extraLength int32,
 *                             extraBytes (JSON of the extras map: original_size, nullable, …)}
 *   then events:      header (same 17 bytes, typeCode 1 insert / 2 delete) + {startTs, endTs uint64} + payload
 *
 * `eventLength` counts the header, the fixed part and the payload; `nextPosition` is the file offset right after
 * the event. The payload (Parquet) is handled by payload.ts; this file only frames it.
 */

export const MAGIC_NUMBER = 0xfffabc;

/** EventTypeCode (internal/storage/event_header.go … event_type.go). */
export const EventType = {
  Descriptor: 0,
  Insert: 1,
  Delete: 2,
  CreateCollection: 3,
  DropCollection: 4,
  CreatePartition: 5,
  DropPartition: 6,
  IndexFile: 7,
} as const;
const EVENT_TYPE_END = 8;
const EVENT_NAMES = ['DescriptorEventType', 'InsertEventType', 'DeleteEventType', 'CreateCollectionEventType', 'DropCollectionEventType', 'CreatePartitionEventType', 'DropPartitionEventType', 'IndexFileEventType'];

export function eventTypeName(code: number): string {
  return EVENT_NAMES[code] ?? `EventType(${code})`;
}

const HEADER_SIZE = 8 + 1 + 4 + 4;
/** binary.Size(DescriptorEventDataFixPart): six int64/uint64 and the int32 data type. */
const DESCRIPTOR_FIX_SIZE = 6 * 8 + 4;
/** Every other event's fixed part: start and end timestamp. */
const EVENT_FIX_SIZE = 16;

export interface Descriptor {
  /** Header timestamp: the TSO when the writer was created. */
  timestamp: bigint;
  collectionId: bigint;
  partitionId: bigint;
  segmentId: bigint;
  fieldId: bigint;
  startTs: bigint;
  endTs: bigint;
  /** schemapb.DataType number. */
  payloadDataType: number;
  /** Decoded extras JSON (original_size as a decimal string, nullable as a bool, …). */
  extras: Record<string, unknown>;
}

export interface BinlogEvent {
  typeCode: number;
  timestamp: bigint;
  startTs: bigint;
  endTs: bigint;
  payload: Buffer;
}

export class BinlogFormatError extends Error {}

function header(ts: bigint, typeCode: number, eventLength: number, nextPosition: number): Buffer {
  const b = Buffer.alloc(HEADER_SIZE);
  b.writeBigUInt64LE(ts, 0);
  b.writeInt8(typeCode, 8);
  b.writeInt32LE(eventLength, 9);
  b.writeInt32LE(nextPosition, 13);
  return b;
}

/** One binlog file: magic, descriptor, then the events in order (Milvus writes one event per file). */
export function encodeBinlog(d: Descriptor, events: BinlogEvent[]): Buffer {
  // FinishExtra: Go's json.Marshal of a map sorts the keys.
  const extras = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(d.extras).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))), 'utf8');
  const fix = Buffer.alloc(DESCRIPTOR_FIX_SIZE + EVENT_TYPE_END + 4);
  let o = 0;
  for (const v of [d.collectionId, d.partitionId, d.segmentId, d.fieldId]) o = fix.writeBigInt64LE(v, o);
  o = fix.writeBigUInt64LE(d.startTs, o);
  o = fix.writeBigUInt64LE(d.endTs, o);
  o = fix.writeInt32LE(d.payloadDataType, o);
  // PostHeaderLengths: the fixed-part size of every event type, descriptor first (newDescriptorEventData).
  o = fix.writeUInt8(DESCRIPTOR_FIX_SIZE, o);
  for (let t = 1; t < EVENT_TYPE_END; t++) o = fix.writeUInt8(EVENT_FIX_SIZE, o);
  fix.writeInt32LE(extras.length, o);
  const descLength = HEADER_SIZE + fix.length + extras.length;
  const parts: Buffer[] = [];
  const magic = Buffer.alloc(4);
  magic.writeInt32LE(MAGIC_NUMBER, 0);
  parts.push(magic, header(d.timestamp, EventType.Descriptor, descLength, 4 + descLength), fix, extras);
  let pos = 4 + descLength;
  for (const e of events) {
    const len = HEADER_SIZE + EVENT_FIX_SIZE + e.payload.length;
    const fixed = Buffer.alloc(EVENT_FIX_SIZE);
    fixed.writeBigUInt64LE(e.startTs, 0);
    fixed.writeBigUInt64LE(e.endTs, 8);
    parts.push(header(e.timestamp, e.typeCode, len, pos + len), fixed, e.payload);
    pos += len;
  }
  return Buffer.concat(parts);
}

/** Reads a binlog file as NewBinlogReader + NextEventReader do; damaged files fail with Milvus's words where it has them. */
export function decodeBinlog(buf: Buffer): { descriptor: Descriptor; events: BinlogEvent[] } {
  if (buf.length < 4) throw new BinlogFormatError('unexpected EOF');
  const magic = buf.readInt32LE(0);
  if (magic !== MAGIC_NUMBER) throw new BinlogFormatError(`parse magic number failed, expected: ${MAGIC_NUMBER}, actual: ${magic}`);
  let o = 4;
  const need = (n: number) => {
    if (o + n > buf.length) throw new BinlogFormatError('unexpected EOF');
  };
  need(HEADER_SIZE + DESCRIPTOR_FIX_SIZE + EVENT_TYPE_END + 4);
  const timestamp = buf.readBigUInt64LE(o);
  const typeCode = buf.readInt8(o + 8);
  if (typeCode !== EventType.Descriptor) throw new BinlogFormatError(`the first event is ${eventTypeName(typeCode)}, not a descriptor event`);
  o += HEADER_SIZE;
  const ids: bigint[] = [];
  for (let i = 0; i < 4; i++, o += 8) ids.push(buf.readBigInt64LE(o));
  const startTs = buf.readBigUInt64LE(o);
  const endTs = buf.readBigUInt64LE(o + 8);
  const payloadDataType = buf.readInt32LE(o + 16);
  o += 20;
  // PostHeaderLengths: readDescriptorEventData reads into newDescriptorEventData's 8-entry slice.
  o += EVENT_TYPE_END;
  const extraLength = buf.readInt32LE(o);
  o += 4;
  if (extraLength < 0) throw new BinlogFormatError(`invalid extra length ${extraLength}`);
  need(extraLength);
  let extras: Record<string, unknown>;
  try {
    extras = JSON.parse(buf.subarray(o, o + extraLength).toString('utf8') || '{}') as Record<string, unknown>;
  } catch (e) {
    throw new BinlogFormatError(`invalid descriptor extras: ${(e as Error).message}`);
  }
  o += extraLength;
  const descriptor: Descriptor = {
    timestamp,
    collectionId: ids[0],
    partitionId: ids[1],
    segmentId: ids[2],
    fieldId: ids[3],
    startTs,
    endTs,
    payloadDataType,
    extras,
  };
  const events: BinlogEvent[] = [];
  while (o < buf.length) {
    need(HEADER_SIZE + EVENT_FIX_SIZE);
    const ts = buf.readBigUInt64LE(o);
    const code = buf.readInt8(o + 8);
    const len = buf.readInt32LE(o + 9);
    if (len < HEADER_SIZE + EVENT_FIX_SIZE || o + len > buf.length) throw new BinlogFormatError(`event length ${len} at offset ${o} runs past the file (${buf.length} bytes)`);
    const s = buf.readBigUInt64LE(o + HEADER_SIZE);
    const e = buf.readBigUInt64LE(o + HEADER_SIZE + 8);
    events.push({ typeCode: code, timestamp: ts, startTs: s, endTs: e, payload: buf.subarray(o + HEADER_SIZE + EVENT_FIX_SIZE, o + len) });
    o += len;
  }
  return { descriptor, events };
}
