/** The benches' shared statistics: the median (upper middle for even counts), robust to a noisy neighbour. */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
