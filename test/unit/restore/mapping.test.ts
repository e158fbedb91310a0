import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../../src/core/errors';
import { identityMapper, mapperFor, parseRename, renameMapper, suffixMapper } from '../../../src/core/restore/mapping';

describe('restore mapping', () => {
  test('suffix appends to the collection name and keeps the database', () => {
    const m = suffixMapper('_bak');
    assert.deepEqual(m.targets({ db: 'default', collection: 'coll' }), [{ db: 'default', collection: 'coll_bak' }]);
    assert.deepEqual(m.targets({ db: 'db1', collection: 'c' }), [{ db: 'db1', collection: 'c_bak' }]);
    assert.deepEqual(m.targets({ db: '', collection: 'c' }), [{ db: 'default', collection: 'c_bak' }]);
  });

  test('suffix with characters Milvus rejects is refused up front', () => {
    assert.throws(() => suffixMapper('-bak'), UserError);
  });

  test('rename: database wildcard moves a whole database', () => {
    const m = renameMapper('db1.*:db2.*');
    assert.deepEqual(m.targets({ db: 'db1', collection: 'a' }), [{ db: 'db2', collection: 'a' }]);
    assert.deepEqual(m.targets({ db: 'db3', collection: 'a' }), [{ db: 'db3', collection: 'a' }]);
    assert.equal(m.targetDb('db1'), 'db2');
    assert.equal(m.targetDb('other'), 'other');
  });

  test('rename: coll:coll is in the default database, db.coll:db.coll moves and renames', () => {
    const m = renameMapper('c1:c2,db1.x:db2.y');
    assert.deepEqual(m.targets({ db: 'default', collection: 'c1' }), [{ db: 'default', collection: 'c2' }]);
    assert.deepEqual(m.targets({ db: 'db1', collection: 'x' }), [{ db: 'db2', collection: 'y' }]);
    assert.deepEqual(m.targets({ db: 'db1', collection: 'z' }), [{ db: 'db1', collection: 'z' }]);
  });

  test('rename: an exact rule wins over the database wildcard', () => {
    const m = renameMapper('db1.*:db2.*,db1.c1:db3.k');
    assert.deepEqual(m.targets({ db: 'db1', collection: 'c1' }), [{ db: 'db3', collection: 'k' }]);
    assert.deepEqual(m.targets({ db: 'db1', collection: 'c2' }), [{ db: 'db2', collection: 'c2' }]);
  });

  test('rename: one source to several targets', () => {
    const m = renameMapper('c1:c2,c1:c3');
    assert.deepEqual(m.targets({ db: 'default', collection: 'c1' }), [
      { db: 'default', collection: 'c2' },
      { db: 'default', collection: 'c3' },
    ]);
  });

  test('rename: db.:db. is accepted and ignored; malformed rules are usage errors', () => {
    const r = parseRename('db1.:db2.');
    assert.equal(r.dbWildcard.size, 0);
    assert.equal(r.exact.size, 0);
    for (const bad of ['c1', 'c1:db.c2', 'db1.*:c2', 'a:b:c', 'db.a.b:c', 'x-y:z']) {
      assert.throws(() => parseRename(bad), (e: unknown) => e instanceof UserError && e.exitCode === 2, bad);
    }
    assert.throws(() => parseRename('db1.*:db2.*,db1.*:db3.*'), UserError);
  });

  test('suffix and rename together are rejected; neither is identity', () => {
    assert.throws(() => mapperFor({ suffix: '_a', rename: 'a:b' }), /cannot be set at the same time/);
    assert.equal(mapperFor({}), identityMapper);
  });
});
