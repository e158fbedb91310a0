// Where things live, in one place: the repo root, this harness, its gitignored cache and the test outputs.
import { join } from 'node:path';

export const harnessDir = __dirname;
export const repoRoot = join(harnessDir, '..', '..');
/** Gitignored: install lock, npm's TMPDIR with the ripgrep cache, bundled extension-host suites. */
export const cacheDir = join(harnessDir, '.cache');
/** Screenshots and per-tier result files (the README's screenshots are taken from here). */
export const resultsDir = join(repoRoot, 'test-results');
/** The workspace folder the suites open (copied to a temp dir first, so tests may write into it). */
export const fixtureWorkspace = join(repoRoot, 'test', 'extension', 'fixtures', 'workspace');
