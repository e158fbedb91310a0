/**
 * The packaged .vsix (issue 14: goal ≤ 6 MiB): built the way users get it (test/harness/packageVsix.ts: vsce
 * package --no-dependencies, which runs vscode:prepublish — type-check and the production bundle — first),
 * into a temp dir, and its size reported with the sizes of the bundles inside.
 *
 * Run: node --import tsx bench/vsix.bench.ts
 * Prints one line and a final `RESULT {json}` line. Reports numbers, never asserts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVsix } from '../test/harness/packageVsix';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'vsix-bench-'));
try {
  const t = performance.now();
  const file = packageVsix(join(dir, 'milvus-backup.vsix'));
  const s = (f: string) => Number((statSync(f).size / MiB).toFixed(2));
  const result = { vsixMiB: s(file), extensionJsMiB: s(join(__dirname, '..', 'dist', 'extension.js')), cliJsMiB: s(join(__dirname, '..', 'dist', 'cli.js')), buildMs: Math.round(performance.now() - t) };
  console.log(`.vsix ${result.vsixMiB} MiB (dist/extension.js ${result.extensionJsMiB} MiB, dist/cli.js ${result.cliJsMiB} MiB unpacked), packaged in ${result.buildMs} ms`);
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
