import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/program';

/** `create` argument handling that needs no server: refusals come before any connection. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--config', '/nonexistent/backup.yaml', ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), env: {}, isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('create: argument errors', () => {
  test('bad filter, strategy, format (usage errors, exit 2) and unsupported flags (exit 1) are refused with a clear message', async () => {
    let r = await cli('create', '-n', 'x', '--filter', 'a.b.c');
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid filter rule "a\.b\.c"/);
    r = await cli('create', '-n', 'x', '--strategy', 'fast');
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid strategy "fast"/);
    r = await cli('create', '-n', 'x', '--format', 'tarball');
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid format "tarball"/);
    r = await cli('create', '-n', 'x', '--format', 'snapshot');
    assert.equal(r.code, 1);
    assert.match(r.err, /--format snapshot .* not supported/);
    r = await cli('create', '-n', 'x', '--backup_index_extra');
    assert.equal(r.code, 1);
    assert.match(r.err, /--backup_index_extra is not supported/);
    r = await cli('create', '-n', 'x', '-a', '{not json');
    assert.match(r.err, /invalid -a\/--database_collections JSON/);
  });
});
