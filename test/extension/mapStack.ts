// Rewrites the frames of a stack that point into source-mapped .js files (the suites' bundle, with inline maps;
// dist/*.js of the dev build) to the original .ts lines. Needed although source maps are enabled in the host:
// VS Code's extension host installs its own Error.prepareStackTrace, which bypasses Node's mapping.
import { readFileSync } from 'node:fs';
import { SourceMap, findSourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const maps = new Map<string, { map: SourceMap; base: string } | null>();

function load(file: string): { map: SourceMap; base: string } | null {
  if (maps.has(file)) return maps.get(file)!;
  let found: { map: SourceMap; base: string } | null = null;
  try {
    const cached = findSourceMap(file);
    if (cached) found = { map: cached, base: dirname(file) };
    else {
      const text = readFileSync(file, 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (url) {
        const json = url.startsWith('data:')
          ? Buffer.from(url.slice(url.indexOf(',') + 1), url.includes(';base64,') ? 'base64' : 'utf8').toString('utf8')
          : readFileSync(resolve(dirname(file), url), 'utf8');
        found = { map: new SourceMap(JSON.parse(json)), base: dirname(url.startsWith('data:') ? file : resolve(dirname(file), url)) };
      }
    }
  } catch {
    found = null;
  }
  maps.set(file, found);
  return found;
}

function original(source: string, base: string, root: string | undefined): string {
  if (source.startsWith('file://')) return fileURLToPath(source);
  return resolve(base, root ?? '', source);
}

/**
 * `at fn (/x/y.js:L:C)` / `at y.js:L:C` frames become `at fn (/repo/src/z.ts:L':C')` where a map says so
 * (relative paths, as mocha's stack filter leaves them, are taken from `cwd`).
 */
export function mapStack(stack: string, cwd = process.cwd()): string {
  return stack.replace(/((?:file:\/\/)?[^\s():]+\.js):(\d+):(\d+)/g, (whole, path: string, line: string, col: string) => {
    const file = path.startsWith('file://') ? fileURLToPath(path) : resolve(cwd, path);
    const m = load(file);
    if (!m) return whole;
    const e = m.map.findEntry(Number(line) - 1, Number(col) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!e || e.originalSource === undefined || e.originalLine === undefined) return whole;
    const root = (m.map.payload as { sourceRoot?: string }).sourceRoot || undefined;
    return `${original(e.originalSource, m.base, root)}:${e.originalLine + 1}:${(e.originalColumn ?? 0) + 1}`;
  });
}
