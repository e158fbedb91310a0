/** Small display helpers shared by the tree and the commands. */

export function formatBytes(n: number | bigint): string {
  let v = Number(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Milvus hybrid timestamps keep the physical time in ms above the 18 logical bits. */
export function tsoToDate(tso: bigint): Date | undefined {
  if (tso <= 0n) return undefined;
  return new Date(Number(tso >> 18n));
}
