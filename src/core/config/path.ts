/**
 * Where `--config FILE` is read from (Go `internal/cfg/param/source.go`): the path itself if it exists,
 * else `$MILVUSCONF/<basename>`, else `./configs/<basename>`. (The Go tool's last fallback, the repository's own
 * `configs/` next to its source file, has no equivalent for an installed tool.)
 */
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The places tried, in order, for error messages. */
export function configPathCandidates(file: string, env: NodeJS.ProcessEnv, cwd: string): string[] {
  const base = basename(file);
  const out = [resolve(cwd, file)];
  const confDir = env.MILVUSCONF;
  if (confDir) out.push(resolve(cwd, join(confDir, base)));
  out.push(resolve(cwd, 'configs', base));
  return out;
}

/**
 * Resolves the config file; undefined when none of the candidates exists. `fileExplicit` does not change the
 * search (the Go tool searches the same places either way); it is part of the signature so callers can pass
 * their flags through unchanged, and the caller decides whether a miss is an error.
 */
export function resolveConfigPath(file: string, fileExplicit: boolean, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  void fileExplicit;
  return configPathCandidates(file, env, cwd).find(isFile);
}
