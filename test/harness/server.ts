// Starts the VS Code server bundled in code-server (its server-main.js, so --enable-smoke-test-driver is
// accepted and the workbench honours the test payload) on a free 127.0.0.1 port with throwaway data dirs.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cleanup } from './cleanup';
import { serverMain } from './setup';
import { watchGroup } from './watchdog';

export interface ServerOptions {
  /** Extra environment for the server process; the extension host inherits it. */
  env?: Record<string, string>;
  /** Where extensions are installed; a fresh temp dir when omitted. */
  extensionsDir?: string;
  /** Prints each server log line as it arrives (the log file is kept either way until cleanup). */
  verbose?: boolean;
  /**
   * How far the server is from VS Code as users run it. The extension-host tier needs the smoke-test driver
   * (the workbench then runs the test payload and reports through window.codeAutomationExit) and no trust
   * prompt; but with the driver on, the workbench refuses every modal dialog ("DialogService: refused to show
   * dialog in tests": skipDialogs() in vscode src/vs/workbench/services/dialogs/common/dialogService.ts),
   * so the UI tier and the playground run without it. Both default to the test tier's.
   */
  smokeTestDriver?: boolean;
  /** false: --disable-workspace-trust (no "Do you trust the authors" prompt). The playground turns it on. */
  workspaceTrust?: boolean;
}

/** The server as a user runs it (dialogs work, workspace trust can be tried): the playground. */
export const AS_USERS_RUN_IT: ServerOptions = { smokeTestDriver: false, workspaceTrust: true };

export interface VsCodeServer {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** A vscode-remote:// URI for a path on this machine, as the payload wants it. */
  remote(path: string): string;
  logFile: string;
  /** The last lines of the server log, for error messages. */
  tail(lines?: number): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function commonArgs(dir: string, extensionsDir: string): string[] {
  return [
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--user-data-dir', join(dir, 'user-data'),
    '--server-data-dir', join(dir, 'server-data'),
    '--extensions-dir', extensionsDir,
  ];
}

/** Stops the server's whole process group (it forks extension hosts and file watchers). */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((r) => child.once('exit', r));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) return;
  kill('SIGKILL');
  await exited;
}

/**
 * User settings for a quiet, repeatable workbench: no welcome walkthrough over the editor area, no update or
 * gallery calls. (code-server keeps user settings on the server, under --user-data-dir.)
 */
function writeUserSettings(userDataDir: string): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    // The server forwards ports it sees opened on this (shared) machine and toasts "Your application running on
    // port N is available" for each: other people's servers, or our own S3 and Milvus test servers. None is ours
    // to open in a browser, so no auto-forwarding (vscode src/vs/workbench/contrib/remote/browser/remoteExplorer.ts).
    'remote.autoForwardPorts': false,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function nodeOptions(env: Record<string, string> | undefined): string {
  const given = env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '';
  return given.includes('--enable-source-maps') ? given : `${given} --enable-source-maps`.trim();
}

export async function startServer(cleanup: Cleanup, opts: ServerOptions = {}): Promise<VsCodeServer> {
  const dir = cleanup.tempDir('vscode-server');
  const extensionsDir = opts.extensionsDir ?? join(dir, 'extensions');
  writeUserSettings(join(dir, 'user-data'));
  mkdirSync(extensionsDir, { recursive: true });
  const port = await freePort();
  const logFile = join(dir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [
      serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      ...(opts.smokeTestDriver === false ? [] : ['--enable-smoke-test-driver']),
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...commonArgs(dir, extensionsDir),
    ],
    // Own process group, so stopping it also stops the extension hosts it forked.
    // --enable-source-maps reaches the extension hosts it forks: stacks from the dev build (dist/*.js.map) and
    // the suites' bundle (inline maps) name src/ and test/ .ts lines.
    { env: { ...process.env, ...opts.env, NODE_OPTIONS: nodeOptions(opts.env) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  // If this process dies without its cleanup (SIGKILL), the watchdog stops the group instead.
  const watched = child.pid ? watchGroup(child.pid) : undefined;
  cleanup.add('stop VS Code server', async () => {
    await stopGroup(child);
    watched?.forget();
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (opts.verbose) process.stdout.write(chunk.toString().replace(/^(?=.)/gm, '[server] '));
    });
  }
  const server: VsCodeServer = {
    port,
    origin: `http://127.0.0.1:${port}`,
    remote: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    logFile,
    tail: (n = 30) => readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n'),
  };
  await waitReady(server, child);
  return server;
}

async function waitReady(server: VsCodeServer, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`VS Code server exited with ${child.exitCode}:\n${server.tail()}`);
    try {
      const res = await fetch(server.origin, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(`VS Code server did not answer on ${server.origin} within 60 s:\n${server.tail()}`);
}

/** `server --install-extension x.vsix` into `extensionsDir`: the path users take with the artifact. */
export function installExtension(cleanup: Cleanup, vsix: string, extensionsDir: string): string {
  const dir = cleanup.tempDir('vscode-install');
  const r = spawnSync(process.execPath, [serverMain, '--install-extension', vsix, ...commonArgs(dir, extensionsDir)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
  return out;
}
