/**
 * The embedded S3 server in its own process, as `npm run s3` starts it (scripts/s3.ts), so server and client do
 * not share one event loop: the benches' S3 endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export interface S3Process {
  host: string;
  port: number;
  accessKey: string;
  secretKey: string;
  child: ChildProcess;
}

/** Starts `scripts/s3.ts` with `buckets` as a child process and waits for its READY line. */
export async function startS3Process(buckets: string[]): Promise<S3Process> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../scripts/s3.ts'), '--buckets', buckets.join(',')], {
    // stdin a pipe: the server stops when it ends, i.e. when this process dies, even by SIGKILL.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (!line.startsWith('READY ')) continue;
    const r = JSON.parse(line.slice(6)) as { endpoint: string; accessKey: string; secretKey: string };
    const [host, port] = r.endpoint.split(':');
    return { host, port: Number(port), accessKey: r.accessKey, secretKey: r.secretKey, child };
  }
  throw new Error('s3 server exited before it was ready');
}

/** SIGTERM to the server process (it removes its temp dir on the way out), resolved once it has exited. */
export async function stopS3Process(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
