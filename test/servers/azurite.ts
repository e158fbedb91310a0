import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ceph';
import { waitHttp } from './waitHttp';
import { supervise } from './supervise';

/**
 * Microsoft's Azure Blob emulator, Azurite (npm `azurite`, a dev dependency), as a child process on 127.0.0.1
 * with a free port, data in memory, telemetry off. It serves the well-known development account
 * `devstoreaccount1` path-style (`http://127.0.0.1:PORT/devstoreaccount1/CONTAINER/BLOB`) and checks Shared Key
 * and SAS signatures. Declares Node 22 but runs on 20 (docs/local-servers.md). Ready in ~2 s.
 */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** Azurite's published development key (not a secret: it is in Microsoft's docs and Azurite's README). */
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle {
  host: string;
  port: number;
  account: string;
  accountKey: string;
  /** `http://127.0.0.1:PORT/devstoreaccount1` */
  serviceUrl: string;
  stop(): Promise<void>;
}

export async function startAzurite(o: { containers?: string[] } = {}): Promise<AzuriteHandle> {
  const port = await freePort();
  const bin = join(__dirname, '..', '..', 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  const args = [bin, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--disableTelemetry', '--inMemoryPersistence', '--silent'];
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited, stop } = supervise(proc, 'azurite');
  try {
    await waitHttp(port, 30_000, exited, 'azurite');
  } catch (e) {
    await stop();
    throw e;
  }
  const h: AzuriteHandle = {
    host: '127.0.0.1',
    port,
    account: AZURITE_ACCOUNT,
    accountKey: AZURITE_KEY,
    serviceUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    stop,
  };
  if (o.containers?.length) {
    const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
    const svc = new BlobServiceClient(h.serviceUrl, new StorageSharedKeyCredential(h.account, h.accountKey));
    for (const c of o.containers) await svc.getContainerClient(c).createIfNotExists();
  }
  return h;
}
