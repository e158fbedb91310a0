/** Small display helpers shared by the tree and the commands. */

export { formatBytes } from '../core/bytes';

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Milvus hybrid timestamps keep the physical time in ms above the 18 logical bits. */
export function tsoToDate(tso: bigint): Date | undefined {
  if (tso <= 0n) return undefined;
  return new Date(Number(tso >> 18n));
}
