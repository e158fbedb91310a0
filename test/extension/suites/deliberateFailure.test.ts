import * as assert from 'node:assert/strict';

// Proves a failing extension-host test fails the tier: the ext tier runs the launcher once with this switched on
// and expects a non-zero exit and one failure. Registered only then, so normal runs neither fail nor skip it.
if (process.env.MILVUS_BACKUP_FAIL_DELIBERATELY === '1') {
  describe('deliberate failure', () => {
    it('fails on purpose (MILVUS_BACKUP_FAIL_DELIBERATELY=1)', () => {
      assert.fail('deliberate failure: the tier must report it and exit non-zero');
    });
  });
}
