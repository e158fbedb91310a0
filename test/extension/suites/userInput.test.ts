import * as assert from 'node:assert/strict';
import { answer } from '../../../src/vscode/ui/userInput';
import { testing } from '../helpers';

// The seam commands prompt through: these tests answer through the same instance the commands receive.
describe('UserInput seam', () => {
  it('answers prompts in order from the script', async () => {
    const t = await testing();
    const { input, restore } = t.scriptUserInput([answer.input('nightly'), answer.pick('b'), answer.button('Overwrite')]);
    try {
      assert.equal(await t.userInput.showInputBox({ prompt: 'Backup name' }), 'nightly');
      const picked = await t.userInput.showQuickPick([{ label: 'a' }, { label: 'b' }], { title: 'Collection' });
      assert.equal(picked?.label, 'b');
      assert.equal(await t.userInput.showWarningMessage('Overwrite?', { modal: true }, 'Overwrite'), 'Overwrite');
      assert.equal(input.remaining, 0);
      assert.deepEqual(input.unexpected, []);
    } finally {
      restore.dispose();
    }
  });

  it('fails an unexpected prompt at once instead of hanging', async () => {
    const t = await testing();
    const { input, restore } = t.scriptUserInput([answer.input('x')]);
    try {
      await assert.rejects(t.userInput.showQuickPick([{ label: 'a' }], { title: 'Instance' }), /unexpected quickPick prompt "Instance"/);
      await assert.rejects(
        t.userInput.showWarningMessage('Delete?', { modal: true }, 'Delete'),
        /unexpected warning prompt/,
      );
      assert.equal(input.unexpected.length, 2);
    } finally {
      restore.dispose();
    }
  });

  it('rejects a scripted button the prompt does not offer', async () => {
    const t = await testing();
    const { restore } = t.scriptUserInput([answer.button('Yes')]);
    try {
      await assert.rejects(t.userInput.showWarningMessage('Go?', {}, 'Go', 'Cancel'), /not one of \[Go, Cancel\]/);
    } finally {
      restore.dispose();
    }
  });
});
