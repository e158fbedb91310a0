import { activityBarTab, page, runFromPalette, screenshot } from './workbench';

// A first-time user's path: the workbench is up, they open our view from the activity bar, read the welcome
// view, use its button, then reach the same command from the palette. Each step leaves a screenshot.
describe('Milvus Backup in the workbench', () => {
  const logLine = () => page().getByText('[extension] activated').first();

  it('shows the Milvus Backup entry in the activity bar', async () => {
    await activityBarTab().waitFor({ timeout: 90_000 });
    await screenshot('01-workbench');
  });

  it('opens the view from the activity bar and shows the welcome view', async () => {
    await activityBarTab().click();
    await page().getByRole('heading', { name: /Explorer/i }).first().waitFor();
    await page().getByText('Back up Milvus collections into S3-compatible storage').waitFor();
    await screenshot('02-welcome-view');
  });

  it("the welcome view's Show Log button opens the extension's log", async () => {
    await page().getByRole('button', { name: 'Show Log' }).click();
    await logLine().waitFor();
    await screenshot('03-log-from-welcome-button');
  });

  it('runs a command from the palette (F1)', async () => {
    await runFromPalette('View: Hide Panel');
    await logLine().waitFor({ state: 'hidden' });
    await runFromPalette('Milvus Backup: Show Log', () => screenshot('04-command-palette'));
    await logLine().waitFor();
    await screenshot('05-log-from-palette');
  });
});
