import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRows } from '../../../src/core/restore/verifyRows';

const base = { expected: 100, before: 0, after: 100, hasDeletes: false, truncated: false };

describe('row-count check', () => {
  test('equal counts verify; the increase is measured from the count before import', () => {
    assert.deepEqual(checkRows(base), { ok: true, expected: 100, actual: 100, verified: true });
    assert.equal(checkRows({ ...base, before: 40, after: 140 }).ok, true);
    assert.equal(checkRows({ ...base, before: 40, after: 100 }).ok, false);
  });

  test('more rows than the backup holds always fails', () => {
    const r = checkRows({ ...base, after: 130, importedRows: 100, hasDeletes: true });
    assert.equal(r.ok, false);
    assert.match(r.note!, /30 more rows/);
  });

  test('fewer rows fail, unless deletes exist and every job reported exactly the expected rows (compaction)', () => {
    const lost = checkRows({ ...base, after: 90, importedRows: 90 });
    assert.equal(lost.ok, false);
    assert.match(lost.note!, /10 rows missing.*import jobs reported 90/);
    assert.equal(checkRows({ ...base, after: 90, importedRows: 100 }).ok, false, 'no deletes: compaction cannot explain it');
    assert.equal(checkRows({ ...base, after: 90, hasDeletes: true }).ok, false, 'no job report: cannot tell');
    const compacted = checkRows({ ...base, after: 90, hasDeletes: true, importedRows: 100 });
    assert.equal(compacted.ok, true);
    assert.match(compacted.note!, /compacted/);
  });

  test('truncated restores can only be bounded from above', () => {
    assert.deepEqual(checkRows({ ...base, after: 60, truncated: true }).verified, false);
    assert.equal(checkRows({ ...base, after: 60, truncated: true }).ok, true);
    assert.equal(checkRows({ ...base, after: 101, truncated: true }).ok, false);
  });
});
