import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { guessDynamicFieldId, splitFields } from '../../../src/core/restore/fieldAlign';

const f = (id: number, name = `f${id}`, isDynamic = false) => ({ fieldID: BigInt(id), name, isDynamic });

describe('field-id alignment', () => {
  test('no gap: $meta comes after the last field', () => {
    assert.equal(guessDynamicFieldId([f(100), f(101), f(102)]), 103n);
  });

  test('first gap is where $meta sat (fields added after creation)', () => {
    assert.equal(guessDynamicFieldId([f(100), f(101), f(103), f(104)]), 102n);
  });

  test('system fields are ignored; a backed-up $meta gives its own id', () => {
    assert.equal(guessDynamicFieldId([f(0), f(1), f(100), f(101)]), 102n);
    assert.equal(guessDynamicFieldId([f(100), f(101), f(105, '$meta', true), f(106)]), 105n);
  });

  test('fields at or above $meta are added afterwards, in id order; $meta itself is never sent', () => {
    const s = splitFields([f(100, 'pk'), f(101, 'vec'), f(104, 'late2'), f(103, 'late1'), f(102, '$meta', true)], true);
    assert.deepEqual(s.create.map((x) => x.name), ['pk', 'vec']);
    assert.deepEqual(s.add.map((x) => x.name), ['late1', 'late2']);
    assert.equal(s.dynamicFieldId, 102n);
  });

  test('without a dynamic field everything is created at once', () => {
    const s = splitFields([f(100), f(101), f(103)], false);
    assert.equal(s.create.length, 3);
    assert.equal(s.add.length, 0);
  });
});
