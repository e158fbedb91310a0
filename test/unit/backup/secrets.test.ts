/**
 * Secrets never leak: with a distinctive Milvus password and S3 secret key (given through the environment, as
 * advised), every CLI command — check, config show [--json], create, list, get, verify --deep, restore, a
 * failing connection, a wrong password — is run, and neither secret (nor its base64) appears in any output,
 * error or progress line, nor in any object of either bucket (meta, checksums, claim, binlogs), nor in the
 * Milvus test server's files. A short secret is masked without revealing most of it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { readObject } from '../../../src/core/catalog';
import { seedCollection, startSimEnv, type SimEnv } from './simEnv';

const PASSWORD = 'Pw-7c1f9e3a-SECRET-milvus';
const S3_SECRET = 'Sk-44b2a9d0-SECRET-s3key';
const SECRETS = [PASSWORD, S3_SECRET];
const forms = (s: string) => [s, Buffer.from(s).toString('base64'), Buffer.from(`root:${s}`).toString('base64'), encodeURIComponent(s)];

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(p);
    else yield p;
  }
}

describe('secrets appear in no output, error, meta or object', () => {
  let env: SimEnv;
  const transcript: string[] = [];

  async function cli(extraEnv: NodeJS.ProcessEnv, ...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--config', env.configFile, ...argv], {
      out: (s) => out.push(s), err: (s) => err.push(s), env: { ...env.env, ...extraEnv }, isTTY: false,
    });
    transcript.push(`$ ${argv.join(' ')}\n${out.join('\n')}\n${err.join('\n')}`);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  before(async () => {
    env = await startSimEnv('v2.5.14', { milvusAuth: { user: 'root', password: PASSWORD }, s3SecretKey: S3_SECRET });
    await seedCollection(env.client, 'coll', 200);
  });
  after(async () => {
    await env?.stop();
  });

  test('every command, successful and failing', async () => {
    assert.equal((await cli({}, 'check')).code, 0, transcript.at(-1));
    assert.equal((await cli({}, 'config', 'show')).code, 0);
    assert.equal((await cli({}, 'config', 'show', '--json')).code, 0);
    assert.equal((await cli({}, 'create', '-n', 'sec', '--filter', 'coll', '--rbac')).code, 0, transcript.at(-1));
    assert.equal((await cli({}, 'create', '-n', 'sec_json', '--filter', 'coll', '--json')).code, 0);
    assert.equal((await cli({}, 'list', '--json')).code, 0);
    assert.equal((await cli({}, 'get', '-n', 'sec')).code, 0);
    assert.equal((await cli({}, 'verify', '-n', 'sec', '--deep', '--json')).code, 0, transcript.at(-1));
    assert.equal((await cli({}, 'restore', '-n', 'sec', '-s', '_r', '--dry-run', '--json')).code, 0, transcript.at(-1));
    assert.equal((await cli({}, 'restore', '-n', 'sec', '-s', '_r')).code, 0, transcript.at(-1));
    // failures: a wrong password (the right one must not be echoed), Milvus unreachable, S3 unreachable
    assert.notEqual((await cli({ MILVUS_PASSWORD: `${PASSWORD}-wrong` }, 'create', '-n', 'denied', '--filter', 'coll')).code, 0);
    assert.notEqual((await cli({}, '--set', 'milvus.port=1', 'check')).code, 0);
    assert.notEqual((await cli({}, '--set', 'minio.port=1', 'list')).code, 0);

    const text = transcript.join('\n');
    assert.match(text, /create backup success/, 'the commands really ran');
    for (const s of SECRETS) for (const f of forms(s)) assert.ok(!text.includes(f), `a form of a secret is in the CLI output:\n${text}`);
    // the secret field is shown masked, revealing 4 of its 25 characters
    const shown = /"key": "milvus\.password",\s*"value": "([^"]*)"/.exec(transcript.find((t) => t.startsWith('$ config show --json'))!);
    assert.equal(shown?.[1], 'Pw****us');
  });

  test('a short secret is masked whole (config show)', async () => {
    const r = await cli({ MILVUS_PASSWORD: 'hunter2' }, 'config', 'show', '--json');
    assert.match(r.out, /"key": "milvus\.password",\s*"value": "\*\*\*\*"/);
    assert.ok(!r.out.includes('hunter2') && !r.out.includes('hu****r2'));
  });

  test('no object in either bucket and no file of the Milvus test server holds a secret', async () => {
    let objects = 0;
    for (const bucket of ['bucket-a', 'bucket-b']) {
      for await (const e of env.store.list(bucket, '', { recursive: true })) {
        if (e.type !== 'object') continue;
        objects++;
        const body = (await readObject(env.store, bucket, e.key)).toString('latin1');
        for (const s of SECRETS) for (const f of forms(s)) assert.ok(!body.includes(f), `${bucket}/${e.key} holds a secret`);
      }
    }
    assert.ok(objects > 20, `the backups and restores wrote objects (${objects})`);
    for await (const f of filesUnder(env.dir)) {
      if (f.endsWith('backup.yaml')) continue; // the test's own config (holds no secret either: they come from env)
      const body = (await readFile(f)).toString('latin1');
      for (const s of SECRETS) assert.ok(!body.includes(s), `${f} holds a secret`);
    }
  });
});
