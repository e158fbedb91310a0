const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A size for people: `512 B`, `1.5 KiB`, `3.2 GiB` (binary units, one decimal). Used by the CLI and the editor. */
export function formatBytes(n: number | bigint): string {
  let v = Number(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}
