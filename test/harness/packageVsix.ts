// Builds the .vsix the way users get it (`vsce package --no-dependencies`: esbuild already bundled every
// dependency into dist/) and checks what went in with `vsce ls`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

function runVsce(args: string[]): string {
  // vsce runs the vscode:prepublish script (type-check + production build) itself before packaging.
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`vsce ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Files the package must hold. */
const required = ['package.json', 'dist/extension.js', 'schemas/backup.schema.json'];
/** All it may hold: the manifest and docs, the bundles, the schema, icons. Anything else leaked past .vscodeignore. */
const allowed = [/^(package(\.nls(\.[\w-]+)?)?\.json|README\.md|CHANGELOG\.md|LICENSE(\.\w+)?)$/i, /^dist\/[^/]+\.js$/, /^schemas\//, /^media\//];

/** The files `vsce ls` would package, checked against the lists above; throws naming what is wrong. */
export function checkVsixContents(): string[] {
  const files = runVsce(['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter(Boolean);
  const missing = required.filter((f) => !files.includes(f));
  const leaked = files.filter((f) => !allowed.some((re) => re.test(f)));
  if (missing.length || leaked.length) {
    throw new Error(
      `.vsix contents: missing [${missing.join(', ')}]; not expected [${leaked.join(', ')}] (add them to .vscodeignore)`,
    );
  }
  return files;
}

export function packageVsix(out: string): string {
  runVsce(['package', '--no-dependencies', '--out', out]);
  return out;
}

if (require.main === module) {
  const files = checkVsixContents();
  console.log(`vsce ls: ${files.length} files, contents ok`);
  const { version, name } = require(join(repoRoot, 'package.json')) as { version: string; name: string };
  console.log(`built ${packageVsix(join(repoRoot, `${name}-${version}.vsix`))}`);
}
