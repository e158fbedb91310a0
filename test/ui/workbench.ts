// What a UI test works with: the workbench page the harness opened, plus the few steps every test repeats.
// Locate by ARIA role and accessible name, as a screen reader would, not by CSS class.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { UiContext } from '../harness/ui';

export function ui(): UiContext {
  const ctx = (globalThis as Record<string, unknown>).__milvusBackupUiContext as UiContext | undefined;
  if (!ctx) throw new Error('UI tests run under the harness: npm run test:ui');
  return ctx;
}

export function page(): Page {
  return ui().page;
}

/** Saves test-results/ui/<name>.png (the README's screenshots are taken from there). */
export async function screenshot(name: string): Promise<void> {
  await page().screenshot({ path: join(ui().screenshotsDir, `${name}.png`) });
}

/** The activity-bar entry of our view container. */
export function activityBarTab(): Locator {
  return page().getByRole('tab', { name: /^Milvus Backup/ });
}

/** Opens the command palette with F1 and runs the command whose label is `title` ("Category: Title"). */
export async function runFromPalette(title: string, beforeEnter?: () => Promise<void>): Promise<void> {
  const p = page();
  await p.keyboard.press('F1');
  const box = p.getByRole('textbox', { name: 'Type the name of a command to run.' });
  await box.waitFor();
  await box.fill(`>${title}`);
  await p.getByRole('option', { name: new RegExp(`^${escape(title)}`) }).first().waitFor();
  await beforeEnter?.();
  await p.keyboard.press('Enter');
}

/**
 * Right-clicks `target` and clicks the context-menu item named `item`. VS Code's menu items start listening for
 * mouse-up only 100 ms after they render (menu.ts, runOnceToEnableMouseUp, so the right-click's own release
 * cannot pick an item); a click sooner than that is silently dropped, and the menu stays open. So wait past it.
 */
export async function clickContextMenu(target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const entry = page().getByRole('menuitem', { name: item, exact: true });
  await entry.waitFor();
  await page().waitForTimeout(250);
  await entry.click();
  await entry.waitFor({ state: 'hidden', timeout: 5_000 });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
