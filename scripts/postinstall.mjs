#!/usr/bin/env node
// Applies patches/ (the s3rver fixes of the embedded test S3 server) after `npm install`.
// patch-package and s3rver are devDependencies: an install without them (a production or global install of
// the CLI) has nothing to patch, so skip quietly instead of failing the install.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let bin;
try {
  const pkg = require.resolve('patch-package/package.json');
  require.resolve('s3rver/package.json');
  const b = require('patch-package/package.json').bin;
  bin = pkg.replace(/package\.json$/, typeof b === 'string' ? b : b['patch-package']);
} catch {
  process.exit(0);
}
// Run its bin with this node, so it works whether or not node_modules/.bin is on PATH.
const r = spawnSync(process.execPath, [bin], { stdio: 'inherit' });
process.exit(r.status ?? 1);
