/**
 * For the scripts that run one server until interrupted (`npm run s3`, `npm run milvus-sim`): on the first
 * SIGINT/SIGTERM, stops it and exits 0, or exits 1 with `<name>: stop failed: …` on stderr when stopping fails.
 */
export function stopOnSignal(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`${name}: stop failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
