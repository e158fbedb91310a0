// Debian's Chromium driven by playwright-core (no Playwright browser download), and the workbench page:
// the test payload goes in the URL, the runner's verdict comes back through window.codeAutomationExit.
import { format } from 'node:util';
import { Browser, Page, chromium } from 'playwright-core';
import { Cleanup } from './cleanup';
import { VsCodeServer } from './server';
import { chromiumPath } from './setup';

export async function launchChromium(cleanup: Cleanup): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // As root in a container there is no usable sandbox; the rest keep Chromium from calling home.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // No watchdog needed if this process is SIGKILLed: Playwright talks to Chromium over --remote-debugging-pipe,
  // and Chromium quits (all its processes) when that pipe closes.
  cleanup.add('close browser', () => browser.close());
  return browser;
}

export interface WorkbenchOptions {
  /** Folder to open (a path on this machine). */
  folder: string;
  /** Loaded as the development extension. */
  extensionDevelopmentPath: string;
  /**
   * Disables every installed extension except the development one (the workbench's payload switch, like the
   * desktop's --disable-extensions). Not for the .vsix smoke test: there the extension under test is installed.
   */
  disableExtensions?: boolean;
  /** A module exporting run(); when set the window runs it and reports through codeAutomationExit. */
  extensionTestsPath?: string;
  /** Receives each message the workbench's automation logger (extension host output included) reports. */
  onLog?: (line: string) => void;
  /** Also pass on the workbench's own chatter (see NOISE). */
  verbose?: boolean;
}

export interface Workbench {
  page: Page;
  /** Settles with the test runner's exit code (only when extensionTestsPath was given). */
  exitCode: Promise<number>;
}

export async function openWorkbench(browser: Browser, server: VsCodeServer, o: WorkbenchOptions): Promise<Workbench> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let exit!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (exit = resolve));
  const onLog = o.onLog ?? (() => {});
  // Must be exposed before the workbench loads: it looks for them once, at startup.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    // The host forwards console calls unformatted (mocha's reporter sends '%s%s' templates): format them here.
    const message = format(...args.map(plain));
    if (!o.verbose && NOISE.some((re) => re.test(message))) return;
    onLog(`${type === 'info' || type === 'log' ? '' : `[${type}] `}${message}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  page.on('pageerror', (e) => onLog(`[page error] ${e.message}`));
  const payload: [string, string][] = [['extensionDevelopmentPath', server.remote(o.extensionDevelopmentPath)]];
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', server.remote(o.extensionTestsPath)]);
  if (o.disableExtensions) payload.push(['disableExtensions', 'true']);
  const url = `${server.origin}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // Only the document: the workbench keeps loading scripts long after, and on a busy 2-core machine the full
  // 'load' took over 30 s. Tests wait for what they need (the runner's exit, an activity-bar tab) themselves.
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  return { page, exitCode };
}

/** Workbench messages that are expected on an offline test server and say nothing about our extension. */
const NOISE = [
  /open-vsx\.org/, // the extension gallery is unreachable (and not wanted)
  /\[Service Worker\]/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
  /^Creation of workbench contribution .* took \d+ms/,
  /vsda/,
];

function plain(a: unknown): unknown {
  return a !== null && typeof a === 'object' ? JSON.stringify(a) : a;
}
