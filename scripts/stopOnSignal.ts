import { fstatSync } from 'node:fs';

/**
 * For the scripts that run one server until interrupted (`npm run s3`, `npm run milvus-sim`): on the first
 * SIGINT/SIGTERM, stops it and exits 0, or exits 1 with `<name>: stop failed: …` on stderr when stopping fails.
 * When stdin is a pipe (a parent spawned the script with `stdio: ['pipe', …]`), the end of stdin counts as
 * SIGTERM too: the pipe closes when the parent dies, even by SIGKILL, so the server never outlives it.
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
  if (stdinIsPipe()) {
    process.stdin.on('end', onSignal);
    process.stdin.on('error', onSignal);
    process.stdin.resume(); // read (and drop) whatever comes, so 'end' is seen
  }
}

/** A pipe or socket, not a terminal or /dev/null (`npm run s3 &` in a script must keep running). */
function stdinIsPipe(): boolean {
  try {
    const s = fstatSync(0);
    return s.isFIFO() || s.isSocket();
  } catch {
    return false;
  }
}
