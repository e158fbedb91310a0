import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { fillSampleData, writeWorkspace } from '../../scripts/playground/sample';
import { repoRoot } from '../harness/paths';
import { startMilvusSim, type MilvusSimHandle } from '../milvus-sim/index';
import { startS3Server, type S3ServerHandle } from '../servers/s3';
import { activityBarTab, clickContextMenu, page, runFromPalette, screenshot, ui } from './workbench';

// The seed document, clicked through: the two backup.yaml files appear in the workspace, the explorer shows
// milvus_A's collections, Back Up Collection from the context menu runs with progress, the backup appears under
// the storage, the palette's Restore wizard restores it with the _bak suffix, and coll_bak shows under milvus_B.
function run(cmd: string, args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 120_000 }, (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, output: `${stdout}${stderr}` }));
  });
}

describe('Back up from the tree, restore from the palette', function () {
  this.timeout(180_000);
  let s3: S3ServerHandle | undefined;
  const sims: MilvusSimHandle[] = [];
  let dir = '';

  const tree = () => page().getByRole('tree', { name: /Explorer/ }).first();
  const row = (name: string | RegExp): Locator => tree().getByRole('treeitem', { name }).first();
  /** Expands a collapsed tree item (clicking a collapsed item expands it). */
  async function expand(name: string | RegExp): Promise<void> {
    const r = row(name);
    await r.waitFor();
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  }
  /** The open quick input's title (with the wizard's step, e.g. "Restore ui_backup: target database (4/8)"). */
  const quickTitle = () => page().locator('.quick-input-widget .quick-input-title').first();
  /** Answers the open quick input: waits for the step titled `step` (a wizard step opens after the last one's
   *  work, e.g. connecting), types to filter, then Enter. */
  async function quickInput(text: string, clear = true, step?: RegExp): Promise<void> {
    if (step) await quickTitle().filter({ hasText: step }).waitFor();
    const box = page().locator('.quick-input-widget input[type="text"]').first();
    await box.waitFor();
    if (clear) await box.fill(text);
    else await box.type(text);
    await page().keyboard.press('Enter');
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'milvus-backup-ui-'));
    s3 = await startS3Server({ buckets: ['bucket-a', 'bucket-b'] });
    const s3conf = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey };
    const a = await startMilvusSim({ version: 'v2.5.14', dataDir: join(dir, 'a'), s3: s3conf, bucket: 'bucket-a', rootPath: 'files' });
    sims.push(a);
    const b = await startMilvusSim({ version: 'v2.5.14', dataDir: join(dir, 'b'), s3: s3conf, bucket: 'bucket-b', rootPath: 'files' });
    sims.push(b);
    await fillSampleData(a.address);
    const common = { s3Endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, milvusRoot: 'files', backupBucket: 'bucket-b', backupRoot: 'backup' };
    await writeWorkspace(ui().workspace, [
      { ...common, name: 'milvus_A', milvusAddress: a.address, managementUrl: a.managementUrl, milvusBucket: 'bucket-a' },
      { ...common, name: 'milvus_B', milvusAddress: b.address, managementUrl: b.managementUrl, milvusBucket: 'bucket-b' },
    ]);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  after(async () => {
    for (const s of sims) await s.stop().catch(() => undefined);
    await s3?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows milvus_A, milvus_B and the shared backup storage in the explorer', async () => {
    if ((await activityBarTab().getAttribute('aria-selected')) !== 'true') await activityBarTab().click();
    await row('milvus_A').waitFor({ timeout: 90_000 });
    await row('milvus_B').waitFor();
    await row(/^bucket-b\/backup/).waitFor();
    await screenshot('10-explorer-instances');
  });

  it('expands milvus_A to its collections with row counts and load state', async () => {
    await expand(/^milvus_A/);
    await expand(/^default/);
    await row(/^coll/).waitFor();
    await tree().getByText('2,000 rows · loaded', { exact: false }).first().waitFor();
    await screenshot('11-explorer-collections');
  });

  it('right-click → Back Up Collection asks for a name, shows progress, and the backup appears under storage', async () => {
    await clickContextMenu(row(/^coll\b/), 'Back Up Collection');
    const box = page().locator('.quick-input-widget input[type="text"]').first();
    await box.waitFor();
    await screenshot('12-backup-name-prompt');
    await box.fill('ui_backup');
    await page().keyboard.press('Enter');
    await page().getByText(/Backing up default\.coll to ui_backup/).first().waitFor();
    await screenshot('13-backup-progress');
    await page().getByText(/Backup ui_backup created/).first().waitFor({ timeout: 120_000 });
    await expand(/^bucket-b\/backup/);
    await row(/^ui_backup/).waitFor();
    await expand(/^ui_backup/);
    await row(/^default\.coll/).waitFor();
    await screenshot('14-backup-in-storage');
  });

  it('a backup the CLI makes meanwhile shows when the storage is expanded again, without Refresh', async () => {
    const storage = row(/^bucket-b\/backup/);
    // the CLI, run against the same backup.yaml from the workspace folder, as a user would in a terminal
    // (async: the S3 and Milvus test servers run in this process and must keep answering)
    const cli = await run(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'create', '-n', 'cli_backup', '--filter', 'default.products', '--config', join(ui().workspace, 'milvus_A', 'backup.yaml')]);
    assert.equal(cli.status, 0, cli.output);
    assert.equal(await row(/^cli_backup/).count(), 0, 'not shown yet: the expanded list is from before');
    await storage.click(); // collapse
    await storage.click(); // and expand again
    await row(/^cli_backup/).waitFor();
    await screenshot('14b-cli-backup-after-reexpand');
  });

  it('the palette Restore wizard restores it into milvus_B as coll_bak', async () => {
    // start from a collapsed tree, so the rows looked for below are the only ones with their names
    await page().getByRole('button', { name: 'Collapse All' }).first().click();
    await runFromPalette('Milvus Backup: Restore Backup…');
    // the storage is asked for only when the workspace has more than the seed's one
    const title = page().locator('.quick-input-widget .quick-input-title').first();
    await title.waitFor();
    if (/backup storage/.test((await title.textContent()) ?? '')) await quickInput('bucket-b/backup');
    await quickInput('ui_backup', true, /Restore: backup \(/);
    await quickTitle().filter({ hasText: /collections \(\d\/\d\)/ }).waitFor();
    await page().locator('.quick-input-widget').getByText('default.coll').first().waitFor(); // collections, all checked
    await page().keyboard.press('Enter');
    await quickInput('milvus_B', true, /into which Milvus/);
    await quickInput('(same database as in the backup)', true, /target database/);
    await quickInput('Add a suffix', true, /collection names/);
    await quickTitle().filter({ hasText: /suffix \(/ }).waitFor();
    await screenshot('15-restore-suffix');
    await page().keyboard.press('Enter'); // the default _bak
    await quickTitle().filter({ hasText: /options \(/ }).waitFor();
    await page().getByText('Rebuild indexes').first().waitFor();
    await screenshot('16-restore-options');
    await page().keyboard.press('Enter');
    // the engine's preview, as a list with Restore first
    await page().getByText(/default\.coll → default\.coll_bak: create/).first().waitFor({ timeout: 90_000 });
    await screenshot('17-restore-preview');
    await quickInput('Restore', true, /preview \(/);
    await page().getByText(/Restored default\.coll_bak into milvus_B/).first().waitFor({ timeout: 120_000 });
    await expand(/^milvus_B/);
    await expand(/^default/);
    await row(/^coll_bak 2,000 rows/).waitFor();
    await screenshot('18-restored-collection');
  });

  it('right-click → Delete Backup asks in a modal dialog (as VS Code shows it to users), then the backup is gone', async () => {
    await page().getByRole('button', { name: 'Collapse All' }).first().click();
    await expand(/^bucket-b\/backup/);
    await clickContextMenu(row(/^ui_backup/), 'Delete Backup');
    const dialog = page().getByRole('dialog').filter({ hasText: /Delete backup ui_backup/ });
    await dialog.waitFor();
    await screenshot('19-delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page().getByText(/Deleted ui_backup/).first().waitFor({ timeout: 60_000 });
    await row(/^ui_backup/).waitFor({ state: 'detached' });
  });

  it('Back Up… with nothing checked says so, once (no second "Error running command" toast)', async () => {
    await runFromPalette('Milvus Backup: Back Up…');
    await quickInput('milvus_A', true, /Back Up: instance \(1\/\d\)/);
    await quickTitle().filter({ hasText: /what to back up \(2\/\d\)/ }).waitFor();
    await page().locator('.quick-input-widget').getByText('default.coll').first().waitFor();
    await page().keyboard.press('Enter'); // nothing checked
    await page().getByText(/Back Up: nothing was selected, so nothing was backed up/).first().waitFor();
    await screenshot('20-nothing-selected');
    await runFromPalette('Notifications: Show Notifications');
    const texts = await page().locator('.notifications-center .notification-list-item-message').allInnerTexts();
    assert.equal(texts.filter((t) => /nothing was selected/.test(t)).length, 1, texts.join('\n'));
    assert.deepEqual(texts.filter((t) => /Error running command|resulted in an error/.test(t)), []);
    await page().keyboard.press('Escape');
  });

  it('never toasts "your application on port N is available" (no port of this machine is ours to forward)', async () => {
    await runFromPalette('Notifications: Show Notifications');
    const center = page().locator('.notifications-center');
    await center.waitFor();
    const texts = await center.locator('.notification-list-item-message').allInnerTexts();
    assert.ok(texts.length > 0, 'the notification center lists this story\'s own notifications');
    assert.deepEqual(texts.filter((t) => /running on port|is available/i.test(t)), []);
    await page().keyboard.press('Escape');
  });
});
