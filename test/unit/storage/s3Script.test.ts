/** `npm run s3`: one READY line with working credentials, buckets created, clean exit on SIGTERM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MinioStore } from '../../../src/core/storage';

test('scripts/s3.ts prints READY, serves the buckets, and stops on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 's3script-'));
  // a --dir that does not exist yet is created
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/s3.ts', '--port', '0', '--dir', join(dir, 'data'), '--buckets', 'one-b,two-b'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (c) => reject(new Error(`exited ${c} before READY`)));
    });
    const m = /^READY (\{.*\})$/.exec(first);
    assert.ok(m, first);
    const info = JSON.parse(m[1]!) as { endpoint: string; accessKey: string; secretKey: string };
    assert.match(info.endpoint, /^127\.0\.0\.1:\d+$/);
    const [host, port] = info.endpoint.split(':');
    const store = new MinioStore({ provider: 'minio', endPoint: host!, port: Number(port), useSSL: false, accessKey: info.accessKey, secretKey: info.secretKey });
    assert.equal(await store.bucketExists('one-b'), true);
    assert.equal(await store.bucketExists('two-b'), true);
    await store.put('one-b', 'k', Buffer.from('v'), 1);
    await store.close();
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    // a --dir given by the caller is kept
    assert.ok((await stat(join(dir, 'data', 'one-b'))).isDirectory());
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
