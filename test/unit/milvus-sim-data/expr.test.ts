import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, simplePkList } from '../../milvus-sim/data/expr/eval';
import { collection, field } from './helpers';
import type { Row, Value } from '../../milvus-sim/data/api';

const c = collection('2.5.14', {
  fields: [
    field(100, 'id', 'Int64', { isPrimaryKey: true }),
    field(101, 's', 'VarChar'),
    field(102, 'f', 'Double'),
    field(103, 'arr', 'Array', { elementType: 'Int64' }),
    field(104, 'j', 'JSON'),
    field(105, 'n', 'Int32', { nullable: true }),
    field(106, '$meta', 'JSON', { isDynamic: true }),
  ],
});

function r(id: bigint, s: string, f: number, arr: Value[], j: object, n: number | null, meta: object = {}): Row {
  return new Map<number, Value>([
    [100, id],
    [101, s],
    [102, f],
    [103, arr],
    [104, Buffer.from(JSON.stringify(j))],
    [105, n],
    [106, Buffer.from(JSON.stringify(meta))],
  ]);
}

const data = [
  r(1n, 'apple', 1.5, [1n, 2n], { a: { b: 1 }, tags: ['x'] }, 10, { color: 'red', size: 3 }),
  r(2n, 'banana', -2, [3n], { a: { b: 2 }, tags: ['y', 'x'] }, null, { color: 'blue' }),
  r(9007199254740993n, 'cherry', 0, [], { a: {} }, 30),
];

const ids = (filter: string) => data.filter(compileFilter(c, filter)).map((x) => x.get(100));

describe('filter expressions', () => {
  it('precedence: and binds tighter than or; not; parentheses', () => {
    assert.deepEqual(ids('id == 1 or id == 2 and s == "x"'), [1n]);
    assert.deepEqual(ids('(id == 1 or id == 2) and s == "banana"'), [2n]);
    assert.deepEqual(ids('not id == 1 && !(s == "cherry")'), [2n]);
    assert.deepEqual(ids('id == 1 OR id == 2 AND s == "x"'), [1n]);
  });
  it('int64 beyond 2^53, floats, negative literals, arithmetic', () => {
    assert.deepEqual(ids('id == 9007199254740993'), [9007199254740993n]);
    assert.deepEqual(ids('id == 9007199254740992'), []);
    assert.deepEqual(ids('f < -1.5'), [2n]);
    assert.deepEqual(ids('f >= 0.0 and f <= 1.5'), [1n, 9007199254740993n]);
    assert.deepEqual(ids('id % 2 == 0'), [2n]);
    assert.deepEqual(ids('f * 2 == 3'), [1n]);
  });
  it('JSON paths, dynamic keys, arrays, null checks, like', () => {
    assert.deepEqual(ids('j["a"]["b"] == 2'), [2n]);
    assert.deepEqual(ids('json_contains(j["tags"], "x")'), [1n, 2n]);
    assert.deepEqual(ids('color in ["red", "green"]'), [1n]);
    assert.deepEqual(ids('$meta["size"] > 2'), [1n]);
    assert.deepEqual(ids('array_contains(arr, 3)'), [2n]);
    assert.deepEqual(ids('array_length(arr) == 0'), [9007199254740993n]);
    assert.deepEqual(ids('arr[0] == 1'), [1n]);
    assert.deepEqual(ids('n is null'), [2n]);
    assert.deepEqual(ids('n > 5'), [1n, 9007199254740993n], 'null never matches a comparison');
    assert.deepEqual(ids('s like "%an%"'), [2n]);
    assert.deepEqual(ids('s like "_pple"'), [1n]);
    assert.deepEqual(ids("s in ['apple', 'cherry']"), [1n, 9007199254740993n]);
  });
  it('errors and the simple-delete shape', () => {
    assert.throws(() => compileFilter(c, 'id == '), /cannot parse expression/);
    assert.throws(() => compileFilter(c, 'id == 1 and'), /cannot parse expression/);
    assert.throws(() => compileFilter(c, 'nosuch(1)'), /not supported/);
    assert.deepEqual(simplePkList(c, 'id in [1, 2, 3]'), [1n, 2n, 3n]);
    assert.deepEqual(simplePkList(c, 'id == 7'), [7n]);
    assert.equal(simplePkList(c, 'id > 7'), undefined);
    assert.equal(simplePkList(c, 'id in [1] and s == "a"'), undefined);
  });
});
