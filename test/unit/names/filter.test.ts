import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowsCollection, allowsDb, formatFilter, parseFilter, parseNamespace, selectionToFilter,
  FilterSyntaxError, type CollectionFilter,
} from '../../../src/core/names/filter';

/** The databases a filter names, in the order first seen (undefined = all). */
const filterDatabases = (f: CollectionFilter) => (f.rules === undefined ? undefined : [...f.rules.keys()]);

describe('parseFilter', () => {
  test('empty string allows everything', () => {
    const f = parseFilter('');
    assert.equal(f.rules, undefined);
    assert.ok(allowsDb(f, 'anything'));
    assert.ok(allowsCollection(f, 'x', 'y'));
    assert.equal(filterDatabases(f), undefined);
  });

  test('the four rule forms', () => {
    const f = parseFilter('a,db1.b,db2.*,db3.');
    assert.deepEqual(filterDatabases(f), ['default', 'db1', 'db2', 'db3']);
    assert.ok(allowsCollection(f, 'default', 'a'));
    assert.ok(!allowsCollection(f, 'default', 'b'));
    assert.ok(allowsCollection(f, 'db1', 'b'));
    assert.ok(!allowsCollection(f, 'db1', 'a'));
    assert.ok(allowsCollection(f, 'db2', 'whatever'));
    assert.ok(allowsDb(f, 'db3'));
    assert.ok(!allowsCollection(f, 'db3', 'a'));
    assert.ok(!allowsDb(f, 'db4'));
    assert.ok(!allowsCollection(f, 'db4', 'a'));
  });

  test('rules for one database form a union in any order', () => {
    for (const s of ['db.c,db.*', 'db.*,db.c']) {
      const f = parseFilter(s);
      assert.ok(allowsCollection(f, 'db', 'other'), s);
    }
    const g = parseFilter('db.c,db.');
    assert.ok(allowsCollection(g, 'db', 'c'));
    assert.ok(!allowsCollection(g, 'db', 'd'));
  });

  test('rejects malformed rules, naming them', () => {
    for (const bad of ['a-b', 'db.c.d', '.c', '*', 'db.*x', 'a,,b', 'db..']) {
      assert.throws(() => parseFilter(bad), (e: unknown) => e instanceof FilterSyntaxError && e.message.includes('invalid filter rule'), bad);
    }
  });

  test('tolerates spaces after commas', () => {
    const f = parseFilter('a, db1.b');
    assert.ok(allowsCollection(f, 'db1', 'b'));
    assert.ok(allowsCollection(f, 'default', 'a'));
  });

  test('formatFilter round-trips', () => {
    for (const s of ['a,db1.b,db2.*,db3.', 'x,y', 'db.*']) {
      const f = parseFilter(s);
      assert.equal(formatFilter(parseFilter(formatFilter(f))), formatFilter(f));
    }
    assert.equal(formatFilter(parseFilter('a,db1.b,db2.*,db3.')), 'a,db1.b,db2.*,db3.');
  });
});

describe('parseNamespace', () => {
  test('default database and explicit database', () => {
    assert.deepEqual(parseNamespace('c'), { db: 'default', collection: 'c' });
    assert.deepEqual(parseNamespace('d.c'), { db: 'd', collection: 'c' });
    assert.throws(() => parseNamespace('a.b.c'), FilterSyntaxError);
    assert.throws(() => parseNamespace(''), FilterSyntaxError);
  });
});

describe('selectionToFilter (deprecated flags)', () => {
  test('-c coll1,db2.coll2 translates with a notice', () => {
    const t = selectionToFilter(undefined, { collections: 'coll1,db2.coll2' });
    assert.ok(allowsCollection(t.filter, 'default', 'coll1'));
    assert.ok(allowsCollection(t.filter, 'db2', 'coll2'));
    assert.ok(!allowsCollection(t.filter, 'default', 'coll2'));
    assert.equal(t.notices.length, 1);
    assert.match(t.notices[0]!, /-c is deprecated, use --filter coll1,db2\.coll2/);
  });

  test('-d db1,db2 means all collections of each', () => {
    const t = selectionToFilter('', { databases: 'db1,db2' });
    assert.ok(allowsCollection(t.filter, 'db1', 'x'));
    assert.ok(allowsCollection(t.filter, 'db2', 'y'));
    assert.ok(!allowsDb(t.filter, 'default'));
    assert.match(t.notices[0]!, /db1\.\*,db2\.\*/);
  });

  test('-a JSON: empty list = whole database', () => {
    const t = selectionToFilter(undefined, { databaseCollections: '{"db1":["c1","c2"],"db2":[]}' });
    assert.ok(allowsCollection(t.filter, 'db1', 'c2'));
    assert.ok(!allowsCollection(t.filter, 'db1', 'c3'));
    assert.ok(allowsCollection(t.filter, 'db2', 'anything'));
    assert.throws(() => selectionToFilter(undefined, { databaseCollections: '{bad' }), FilterSyntaxError);
    assert.throws(() => selectionToFilter(undefined, { databaseCollections: '["x"]' }), FilterSyntaxError);
  });

  test('--filter wins over deprecated flags, which are reported as ignored', () => {
    const t = selectionToFilter('db9.*', { collections: 'c', databases: 'd' });
    assert.ok(allowsCollection(t.filter, 'db9', 'z'));
    assert.ok(!allowsDb(t.filter, 'default'));
    assert.equal(t.notices.length, 2);
    assert.ok(t.notices.every((n) => n.includes('ignored')));
  });

  test('-a beats -c beats -d (Go create precedence)', () => {
    const t = selectionToFilter(undefined, { collections: 'c', databases: 'd', databaseCollections: '{"x":[]}' });
    assert.deepEqual(filterDatabases(t.filter), ['x']);
    const u = selectionToFilter(undefined, { collections: 'c', databases: 'd' });
    assert.deepEqual(filterDatabases(u.filter), ['default']);
  });

  test('nothing given = allow all, no notices', () => {
    const t = selectionToFilter(undefined, {});
    assert.equal(t.filter.rules, undefined);
    assert.deepEqual(t.notices, []);
  });
});

describe('selectionToFilter restore mode', () => {
  test('refuses two selections at once, like the 0.5 restore command', () => {
    assert.throws(() => selectionToFilter('a', { collections: 'b' }, 'restore'), /--filter and -c\/--collections cannot be set at the same time/);
    assert.throws(() => selectionToFilter(undefined, { collections: 'b', databases: 'd' }, 'restore'), FilterSyntaxError);
    const t = selectionToFilter(undefined, { databases: 'd' }, 'restore');
    assert.ok(allowsCollection(t.filter, 'd', 'x'));
    assert.equal(t.notices.length, 1);
  });
});
