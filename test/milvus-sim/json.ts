/**
 * JSON for the REST API. Milvus's Go handlers marshal int64 ids as JSON numbers (encoding/json), and ids
 * exceed 2^53, so values held as bigint are written as raw digits instead of going through a double.
 */
const MARK = '\u0000bigint:';

export function stringifyWithBigInt(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v.toString()}` : v)).replace(
    /"\\u0000bigint:(-?\d+)"/g,
    '$1',
  );
}

/** Parses a JSON body keeping integers beyond 2^53 exact (as strings), since requests carry int64 ids as numbers. */
export function parseJsonKeepingBigInts(text: string): unknown {
  // Quote every bare integer of 16+ digits before JSON.parse sees it (never inside strings: the regex only
  // matches after ':', '[' or ',' outside quotes — request bodies are simple enough for this).
  const quoted = text.replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"');
  return JSON.parse(quoted);
}
