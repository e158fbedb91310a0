/** The benches' one command-line helper: `--name N` as a number, or `def` when the flag is absent. */
export function numberArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number, got "${process.argv[i + 1] ?? ''}"`);
  return v;
}
