import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/core/errors';
import { buildPlan, databasesNeeded } from '../../../src/core/restore/plan';
import { backup, coll } from './helpers';

const b = backup([coll('default', 'coll'), coll('default', 'other'), coll('db1', 'a'), coll('db1', 'b'), coll('db2', 'x')], ['default', 'db1', 'db2', 'empty_db']);
const targets = (p: ReturnType<typeof buildPlan>) => p.collections.map((c) => `${c.source.db}.${c.source.collection}->${c.target.db}.${c.target.collection}`);

describe('restore plan', () => {
  test('no options: every collection under its own name, every database', () => {
    const p = buildPlan(b, {});
    assert.equal(p.collections.length, 5);
    assert.deepEqual(databasesNeeded(p), ['default', 'db1', 'db2', 'empty_db']);
  });

  test("the seed's `-c coll -s _bak`: backup filter by source name, then suffix", () => {
    const p = buildPlan(b, { collections: 'coll', suffix: '_bak' });
    assert.deepEqual(targets(p), ['default.coll->default.coll_bak']);
    assert.deepEqual(databasesNeeded(p), ['default']);
    assert.equal(p.notices.length, 1);
  });

  test('--filter is matched against names after the suffix', () => {
    assert.deepEqual(targets(buildPlan(b, { suffix: '_r', filter: 'coll' })), []);
    assert.deepEqual(targets(buildPlan(b, { suffix: '_r', filter: 'coll_r,db1.b_r' })), ['default.coll->default.coll_r', 'db1.b->db1.b_r']);
  });

  test('moving a database: db1.*:db9.* targets db9 and does not create db1', () => {
    const p = buildPlan(b, { rename: 'db1.*:db9.*', filter: 'db9.*' });
    assert.deepEqual(targets(p), ['db1.a->db9.a', 'db1.b->db9.b']);
    assert.deepEqual(databasesNeeded(p), ['db9']);
  });

  test('rename of single collections into another database does not leave an empty source database', () => {
    const p = buildPlan(b, { collections: 'db2.x', rename: 'db2.x:db3.y' });
    assert.deepEqual(targets(p), ['db2.x->db3.y']);
    assert.deepEqual(databasesNeeded(p), ['db3']);
  });

  test('one source into several targets', () => {
    const p = buildPlan(b, { collections: 'coll', rename: 'coll:c_one,coll:c_two' });
    assert.deepEqual(targets(p), ['default.coll->default.c_one', 'default.coll->default.c_two']);
  });

  test('a target name Milvus would refuse (a suffix past 255 characters) is refused in the plan, before any change', () => {
    const long = 'c'.repeat(250);
    const lb = backup([coll('default', 'ok'), coll('default', long)], ['default']);
    assert.equal(buildPlan(lb, {}).collections.length, 2);
    assert.throws(() => buildPlan(lb, { suffix: '_backup' }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.code, 'invalid-target-name');
      assert.match(e.message, new RegExp(`^restore: target default\\.${long}_backup: collection name is longer than 255 characters$`));
      return true;
    });
  });

  test('two sources onto one target are refused', () => {
    assert.throws(() => buildPlan(b, { rename: 'coll:same,other:same' }), (e: unknown) => e instanceof UserError && e.code === 'target-collision');
  });

  test('database-only filter `db.` keeps the database and no collection', () => {
    const p = buildPlan(b, { filter: 'empty_db.' });
    assert.deepEqual(targets(p), []);
    assert.deepEqual(databasesNeeded(p), ['empty_db']);
  });

  test('per-collection overrides are keyed by the target name', () => {
    const p = buildPlan(b, { collections: 'coll', suffix: '_bak', overrides: { 'default.coll_bak': { shardNum: 3 }, 'default.nope': { description: 'x' } } });
    assert.equal(p.collections[0]!.override.shardNum, 3);
    assert.ok(p.notices.some((n) => n.includes('default.nope')));
  });

  test('bad filter syntax is a usage error', () => {
    assert.throws(() => buildPlan(b, { filter: 'a.b.c' }), (e: unknown) => e instanceof UserError && e.exitCode === 2);
  });
});
