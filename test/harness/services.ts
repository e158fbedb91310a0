// "Services the suites need" as a pluggable hook: each starts something on 127.0.0.1 (the Milvus test server,
// an embedded S3, ...) before the VS Code server, and hands its address to the extension host as env vars.
// The list the ext tier uses lives in test/extension/services.ts.
import { Cleanup } from './cleanup';

export interface ServiceContext {
  /** A temp dir of the service's own, removed after the run. */
  tmpDir: string;
  /** The env the hooks before this one returned (a Milvus server finds its S3 here). */
  env: Readonly<Record<string, string>>;
  log(line: string): void;
}

export interface RunningService {
  /** Put into the VS Code server's env, so the extension host (and the suites) see it. */
  env: Record<string, string>;
  stop(): Promise<void> | void;
}

export interface ServiceHook {
  name: string;
  start(ctx: ServiceContext): Promise<RunningService>;
}

/** Starts each hook in order, registers its stop, and returns the merged env. */
export async function startServices(cleanup: Cleanup, hooks: readonly ServiceHook[]): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const hook of hooks) {
    const started = Date.now();
    const running = await hook.start({
      tmpDir: cleanup.tempDir(`service-${hook.name.replace(/\W+/g, '-')}`),
      env: { ...env },
      log: (line) => console.log(`[${hook.name}] ${line}`),
    });
    cleanup.add(`stop ${hook.name}`, () => running.stop());
    Object.assign(env, running.env);
    console.log(`[harness] ${hook.name} up in ${Date.now() - started} ms: ${Object.keys(running.env).join(', ') || 'no env'}`);
  }
  return env;
}
