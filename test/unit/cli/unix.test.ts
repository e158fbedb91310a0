import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createContext, runCli } from '../../../src/cli/program';
import { createProgressRenderer, progressStyle } from '../../../src/cli/progress';
import { formatReport } from '../../../src/cli/commands/restore';
import { loadConfig } from '../../../src/core/config';
import { cliJson } from '../../../src/cli/jsonOut';
import { GoObject } from '../../../src/core/meta';
import { version } from '../../../package.json';

/** The CLI as a Unix command, no server needed: streams, exit codes, flags, --json, warnings. */

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-unix-'));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

async function file(name: string, text: string): Promise<string> {
  const f = join(dir, name);
  await writeFile(f, text);
  return f;
}

/** A config whose storage refuses connections at once (port 1 on loopback), secrets in plain text. */
const UNREACHABLE_V1 = 'milvus:\n  address: 127.0.0.1\n  port: 1\n  password: S3RVER\nminio:\n  address: 127.0.0.1\n  port: 1\n  accessKeyID: S3RVER\n  secretAccessKey: S3RVER\n  backupSecretAccessKey: S3RVER\n  backupRootPath: backup\n';

describe('progress is drawn on stderr, so stderr decides', () => {
  const events = [
    { kind: 'phase', phase: 'copy', message: 'copying' },
    { kind: 'bytes', doneBytes: 50, totalBytes: 100, doneObjects: 1, totalObjects: 2 },
    { kind: 'bytes', doneBytes: 100, totalBytes: 100, doneObjects: 2, totalObjects: 2 },
  ] as const;
  function render(style: { isTTY: boolean; ansi: boolean }) {
    const raw: string[] = [];
    const lines: string[] = [];
    const r = createProgressRenderer({ ...style, write: (s) => raw.push(s), line: (s) => lines.push(s), intervalMs: 0 });
    for (const e of events) r.onEvent(e as never);
    r.finish();
    return { raw: raw.join(''), lines };
  }
  test('a terminal on stderr gets the bar; a file or pipe on stderr (2>err.txt) gets plain lines', () => {
    assert.deepEqual(progressStyle({ stderrIsTTY: true, env: {} }), { isTTY: true, ansi: true });
    assert.equal(progressStyle({ stderrIsTTY: false, env: {} }).isTTY, false);
    const tty = render(progressStyle({ stderrIsTTY: true, env: {} }));
    assert.match(tty.raw, /\r\x1b\[2K\[#+-*\] +\d+%/);
    const file = render(progressStyle({ stderrIsTTY: false, env: {} }));
    assert.equal(file.raw, '', 'no bar frames when stderr is not a terminal');
    assert.deepEqual(file.lines, ['copying']);
  });
  test('TERM=dumb gets lines; --json gets lines', () => {
    assert.equal(progressStyle({ stderrIsTTY: true, env: { TERM: 'dumb' } }).isTTY, false);
    assert.equal(progressStyle({ stderrIsTTY: true, env: {}, json: true }).isTTY, false);
    assert.equal(render(progressStyle({ stderrIsTTY: true, env: { TERM: 'dumb' } })).raw, '');
  });
  test('NO_COLOR keeps the bar but writes no escape sequence (erased with spaces)', () => {
    const s = progressStyle({ stderrIsTTY: true, env: { NO_COLOR: '1' } });
    assert.deepEqual(s, { isTTY: true, ansi: false });
    const r = render(s);
    assert.match(r.raw, /\[#+/);
    assert.doesNotMatch(r.raw, /\x1b/);
    assert.equal(progressStyle({ stderrIsTTY: true, env: { NO_COLOR: '' } }).ansi, true, 'an empty NO_COLOR does not count (no-color.org)');
  });
  test('the CLI takes the terminal check from stderr, not stdout', () => {
    const saved = { out: process.stdout.isTTY, err: process.stderr.isTTY };
    try {
      for (const [stdout, stderr] of [[true, false], [false, true]]) {
        // `create … 2>err.txt` (stdout a terminal, stderr a file) must not fill err.txt with bar frames;
        // `create … >out.txt` (stderr still a terminal) keeps the bar
        Object.defineProperty(process.stdout, 'isTTY', { value: stdout, configurable: true });
        Object.defineProperty(process.stderr, 'isTTY', { value: stderr, configurable: true });
        const ctx = createContext(new Command(), {}, () => {}, () => {});
        assert.equal(ctx.stderrIsTTY, stderr);
      }
    } finally {
      Object.defineProperty(process.stdout, 'isTTY', { value: saved.out, configurable: true });
      Object.defineProperty(process.stderr, 'isTTY', { value: saved.err, configurable: true });
    }
  });
});

describe('flags and exit codes', () => {
  test('--version prints the package version, exit 0', async () => {
    const r = await cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.out, `milvus-backup ${version}`);
  });
  test('usage errors exit 2: get/delete/restore without -n, an unknown option, a removed flag', async () => {
    for (const argv of [['get'], ['delete'], ['restore'], ['list', '--bogus'], ['list', '-c', 'x'], ['frobnicate']]) {
      const r = await cli(['--config', '/nonexistent/backup.yaml', ...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    }
    const r = await cli(['get']);
    assert.equal(r.err, 'Error: backup name is required (-n NAME)');
  });
  test('a malformed --set is a usage error naming the flag, whatever the command', async () => {
    for (const cmd of [['list'], ['config', 'show'], ['config', 'validate'], ['check', 'config']]) {
      const r = await cli(['--set', 'milvus.port', ...cmd]);
      assert.equal(r.code, 2, `${cmd.join(' ')}: ${r.err}`);
      assert.match(r.err, /^Error: invalid --set "milvus\.port": want KEY=VALUE/);
      assert.doesNotMatch(r.err, /error in the configuration|backup\.yaml/);
    }
    const badValue = await cli(['--set', 'MILVUS_USER=x', '--set', 'milvus.port=abc', 'list'], {});
    // no file: v2 defaults; milvus.port is a v1 key there, so ignored with a warning, not an error. A v1 file:
    const v1 = await file('v1.yaml', 'milvus:\n  port: 19530\n');
    const typed = await cli(['--config', v1, '--set', 'milvus.port=abc', 'list']);
    assert.equal(typed.code, 2, typed.err);
    assert.match(typed.err, /--set milvus\.port=abc: .* not a valid int/);
    assert.notEqual(badValue.code, 2, 'a --set the schema ignores is only a warning');
  });
  test('the --help --set example takes effect on a v1 file, a v2 file and no file', async () => {
    const help = await cli(['--help']);
    const example = /e\.g\.\s+--set\s+(\S+?)=(\S+?)[;)]/.exec(help.out);
    assert.ok(example, help.out);
    const [, key, value] = example;
    const v1 = await file('ex-v1.yaml', 'milvus:\n  address: localhost\n');
    const v2 = await file('ex-v2.yaml', 'configVersion: v2\nmilvus:\n  grpc:\n    address: localhost\n');
    for (const config of [v1, v2, join(dir, 'none.yaml')]) {
      const loaded = loadConfig({ file: config, fileExplicit: config !== join(dir, 'none.yaml'), set: [`${key}=${value}`], env: {} });
      assert.deepEqual(loaded.problems.filter((p) => p.code === 'unknown-override'), [], config);
      assert.ok(Object.values(loaded.sources).some((s) => s.source === 'override' && String(s.value) === value), `${config}: ${key} took no effect`);
    }
  });
});

describe('check and config output', () => {
  test('check prints the keys a user can write (as config show names them), secrets masked, before connecting', async () => {
    const cfg = await file('check.yaml', UNREACHABLE_V1);
    const r = await cli(['--config', cfg, 'check']);
    assert.equal(r.code, 1);
    const show = await cli(['--config', cfg, 'config', 'show', '--json']);
    const keys = new Set((JSON.parse(show.out) as Array<{ key: string }>).map((x) => x.key));
    const printed = r.out.split('\n').slice(3).map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
    assert.ok(printed.includes('minio.address') && printed.includes('milvus.port'), r.out);
    for (const k of printed) assert.ok(keys.has(k), `check printed ${k}, which is not a config key`);
    assert.doesNotMatch(r.out, /milvus\.storage\.type/);
    assert.doesNotMatch(r.out, /(password|secretAccessKey) .*S3/i);
    assert.match(r.out, /minio\.secretAccessKey +\*\*\*\* +config/);
  });
  test('check config prints the whole configuration and connects to nothing (v0.5.16)', async () => {
    const cfg = await file('checkcfg.yaml', UNREACHABLE_V1);
    const r = await cli(['--config', cfg, 'check', 'config']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, (await cli(['--config', cfg, 'config', 'show'])).out);
    assert.doesNotMatch(r.err, /connect/);
  });
  test('the plaintext-secret warning is one line per run, naming every key', async () => {
    const cfg = await file('secrets.yaml', UNREACHABLE_V1);
    const r = await cli(['--config', cfg, 'list']);
    const secretLines = r.errLines.filter((l) => /plain text/.test(l));
    assert.equal(secretLines.length, 1, r.err);
    assert.match(secretLines[0], /3 secrets in plain text: milvus\.password \(line 4\), minio\.secretAccessKey \(line 9\), minio\.backupSecretAccessKey \(line 10\).*MILVUS_PASSWORD, MINIO_SECRET_KEY, MINIO_BACKUP_SECRET_KEY/);
    const show = await cli(['--config', cfg, 'config', 'show']);
    assert.equal(show.errLines.filter((l) => /plain text/.test(l)).length, 1);
  });
});

describe('--json', () => {
  test('errors are one JSON object on stderr, usage errors included', async () => {
    const cfg = await file('json.yaml', UNREACHABLE_V1);
    const run = await cli(['--config', cfg, 'list', '--json'], { MINIO_SECRET_KEY: 'x' });
    assert.equal(run.code, 1);
    assert.equal(run.out, '');
    const lastRun = JSON.parse(run.errLines.at(-1)!);
    assert.equal(lastRun.error.exit_code, 1);
    assert.equal(typeof lastRun.error.message, 'string');
    const usage = await cli(['get', '--json']);
    assert.equal(usage.code, 2);
    assert.deepEqual(JSON.parse(usage.err), { error: { code: 'usage', message: 'backup name is required (-n NAME)', exit_code: 2 } });
    const unknown = await cli(['list', '--json', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.deepEqual(JSON.parse(unknown.err), { error: { code: 'unknownOption', message: "unknown option '--bogus'", exit_code: 2 } });
  });
  test('one key style (snake_case) and numbers as numbers across commands', async () => {
    const cfg = await file('json2.yaml', 'configVersion: v2\nmilvus:\n  grpc:\n    port: 19531\n');
    const show = JSON.parse((await cli(['--config', cfg, 'config', 'show', '--json'])).out) as Array<Record<string, unknown>>;
    const validate = JSON.parse((await cli(['config', 'validate', await file('bad.yaml', 'milvus:\n  port: 0\n'), '--json'])).out) as Array<Record<string, unknown>>;
    for (const obj of [...show, ...validate]) for (const k of Object.keys(obj)) assert.match(k, /^[a-z0-9_]+$/, k);
    assert.equal(typeof validate[0].line, 'number');
    assert.equal(typeof validate[0].end_column, 'number');
  });
});

describe('small things', () => {
  test('duration: 1.69 s (a space after the colon)', () => {
    const text = formatReport({ ok: true, backupName: 'b', collections: [], createdDatabases: [], stagingLeft: [], durationMs: 1690 } as never);
    assert.match(text, /\nduration: 1\.69 s$/);
  });
});

describe('cliJson: the one --json writer', () => {
  test('snake_case keys, int64 strings and bigints as exact numbers, data maps verbatim, undefined left out', () => {
    const text = cliJson({ milvusVersion: 'v2.5', durationMs: 12, rows: '9007199254740993', collectionId: 449834567890123456n, name: '123', privilegeGroups: 0, skip: undefined, config: new GoObject([['minio.backupBucketName', 'b']]) });
    assert.equal(text, '{\n    "milvus_version": "v2.5",\n    "duration_ms": 12,\n    "rows": 9007199254740993,\n    "collection_id": 449834567890123456,\n    "name": "123",\n    "privilege_groups": 0,\n    "config": {\n        "minio.backupBucketName": "b"\n    }\n}');
  });
});
