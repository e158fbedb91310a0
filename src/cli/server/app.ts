import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSetup, createBackup } from '../../core/backup';
import { deleteBackup, getBackup, listBackups } from '../../core/catalog';
import { defaultBackupName, validateBackupName } from '../../core/catalog/names';
import { openBackupCatalog } from '../../core/catalog/openCatalog';
import type { ResolvedConfig } from '../../core/config';
import { UserError } from '../../core/errors';
import { restoreBackup } from '../../core/restore';
import { Code, backupBrief, backupSummary, envelope, restoreTask } from './responses';
import { createParams, restoreParams, type Body } from './requests';
import { TaskRegistry, byteProgress, finish, start, type TaskView } from './tasks';

/**
 * `milvus-backup server`: the Go tool's REST API (core/server/server.go, routes under /api/v1, answers as its
 * backuppb responses) over our engine. create and restore run synchronously or, with `"async": true`, in the
 * background as tasks whose id (create: the request id; restore: the request's `id` or a generated
 * `restore_<time>`) `get_backup?backup_id=` and `get_restore?id=` report on, with progress.
 */
export interface BackupServerOptions {
  config: ResolvedConfig;
  /** '' = every interface, as the Go tool's gin `:port` */
  host?: string;
  port: number;
  /** one line per request and task event (stderr) */
  log?: (line: string) => void;
}

export interface BackupServer {
  port: number;
  host: string;
  tasks: TaskRegistry;
  /** Stops accepting requests, cancels running tasks and waits for them to end. */
  close(): Promise<void>;
}

/** `plain404`: gin's own 404, `text/plain` without a charset */
type Reply = { status: number; type: 'json' | 'text' | 'plain404'; body: string };
const json = (body: string, status = 200): Reply => ({ status, type: 'json', body });
const text = (body: string, status = 200): Reply => ({ status, type: 'text', body });
/** gin's `c.JSON(code, gin.H{"error": msg})` */
const ginError = (status: number, message: string): Reply => json(JSON.stringify({ error: message }), status);

export async function startBackupServer(o: BackupServerOptions): Promise<BackupServer> {
  const tasks = new TaskRegistry();
  const running = new Set<Promise<unknown>>();
  const aborts = new Set<AbortController>();
  const log = o.log ?? (() => {});
  const config = o.config;

  /** Runs a task's work in the background until it ends; close() waits for it. */
  const background = (work: (signal: AbortSignal) => Promise<unknown>) => {
    const ac = new AbortController();
    aborts.add(ac);
    const p = work(ac.signal).catch(() => {}).finally(() => {
      aborts.delete(ac);
      running.delete(p);
    });
    running.add(p);
  };

  async function withCatalog<T>(fn: (cat: ReturnType<typeof openBackupCatalog>) => Promise<T>): Promise<T> {
    const cat = openBackupCatalog(config);
    try {
      return await fn(cat);
    } finally {
      await cat.close();
    }
  }

  const readBackup = (name: string) => withCatalog(async (cat) => {
    const r = await getBackup(cat, name);
    return { info: r.info, metaSize: r.metaSize };
  });

  async function handleCreate(requestId: string, body: Body): Promise<Reply> {
    let p;
    try {
      p = createParams(body);
    } catch (e) {
      return json(envelope(requestId, Code.parameterError, message(e), null));
    }
    const name = p.name || defaultBackupName();
    try {
      validateBackupName(name);
    } catch (e) {
      return json(envelope(requestId, Code.parameterError, message(e), null));
    }
    const task = tasks.newBackup(requestId, name);
    const run = async (signal?: AbortSignal) => {
      start(task);
      log(`create ${name} (task ${requestId}) started`);
      try {
        await createBackup({
          config, name, filter: p.filter, strategy: p.strategy, rbac: p.rbac, signal,
          onProgress: (e) => {
            if (e.kind === 'bytes') task.progress = byteProgress(e);
          },
        });
        finish(task);
        log(`create ${name} (task ${requestId}) done`);
      } catch (e) {
        finish(task, message(e));
        log(`create ${name} (task ${requestId}) failed: ${message(e)}`);
        throw e;
      }
    };
    if (p.async) {
      background(run);
      return json(envelope(requestId, Code.success, 'create backup is executing asynchronously', null));
    }
    try {
      await run();
    } catch (e) {
      return json(envelope(requestId, Code.fail, message(e), null));
    }
    return json(envelope(requestId, Code.success, 'success', backupBrief(task, await readBackup(name))));
  }

  async function handleGetBackup(requestId: string, q: URLSearchParams): Promise<Reply> {
    const name = q.get('backup_name') ?? '';
    const id = q.get('backup_id') ?? '';
    if (q.get('path')) return json(envelope(requestId, Code.parameterError, 'path is not supported: the backup root is the config file\'s', null));
    if (!name && !id) return json(envelope(requestId, Code.parameterError, 'server: empty backup name and backup id, please set a backup name or id', null));
    let task: TaskView | undefined;
    if (id) {
      task = tasks.backups.get(id);
      if (!task) return json(envelope(requestId, Code.fail, 'server: get backup by id server: get backup task task not found', null));
    } else task = tasks.backupByName(name);
    // a task still running (or failed) has no complete meta to read yet: its state is the answer
    if (task && task.state !== 2) return json(envelope(requestId, Code.success, 'success', backupBrief(task, undefined)));
    try {
      return json(envelope(requestId, Code.success, 'success', backupBrief(task, await readBackup(task?.name ?? name))));
    } catch (e) {
      return json(envelope(requestId, Code.fail, message(e), null));
    }
  }

  async function handleList(requestId: string, q: URLSearchParams): Promise<Reply> {
    if (q.get('collection_name')) return json(envelope(requestId, Code.parameterError, 'collection_name is deprecated', null));
    try {
      const entries = await withCatalog((cat) => listBackups(cat));
      const complete = entries.filter((e) => !e.incomplete);
      return json(envelope(requestId, Code.success, '', complete.length ? complete.map(backupSummary) : null));
    } catch (e) {
      return json(envelope(requestId, Code.fail, message(e), null));
    }
  }

  async function handleDelete(requestId: string, q: URLSearchParams): Promise<Reply> {
    const name = q.get('backup_name') ?? '';
    if (!name) return json(envelope(requestId, Code.parameterError, 'backup name is required'));
    try {
      await withCatalog((cat) => deleteBackup(cat, name));
      return json(envelope(requestId, Code.success, 'success'));
    } catch (e) {
      return json(envelope(requestId, Code.fail, message(e)));
    }
  }

  async function handleRestore(requestId: string, body: Body): Promise<Reply> {
    let p;
    try {
      p = restoreParams(body);
    } catch (e) {
      return json(envelope('', e instanceof UserError && e.code === 'not-supported' ? Code.notSupport : Code.parameterError, message(e), null));
    }
    const id = p.taskId ?? restoreTaskId();
    try {
      await readBackup(p.name);
    } catch (e) {
      const notFound = e instanceof UserError && e.code === 'backup-not-found';
      return json(envelope('', notFound ? Code.parameterError : Code.fail, notFound ? `backup ${p.name} not found` : message(e), null));
    }
    const task = tasks.newRestore(id, p.name);
    const { async, ...req } = p;
    const run = async (signal?: AbortSignal) => {
      start(task);
      log(`restore ${p.name} (task ${id}) started`);
      const r = await restoreBackup({ ...req, taskId: id, config, signal, onProgress: (e) => TaskRegistry.onRestoreEvent(task, e) }).catch((e: unknown) => ({ ok: false, error: message(e) }));
      finish(task, r.ok ? undefined : (r.error ?? 'restore failed'));
      log(`restore ${p.name} (task ${id}) ${r.ok ? 'done' : `failed: ${r.error}`}`);
    };
    if (async) {
      background(run);
      return json(envelope(requestId, Code.success, 'restore backup is executing asynchronously', restoreTask(task)));
    }
    await run();
    if (task.state !== 2) return json(envelope('', Code.fail, task.error, null));
    return json(envelope(requestId, Code.success, 'success', restoreTask(task)));
  }

  function handleGetRestore(requestId: string, q: URLSearchParams): Reply {
    const id = q.get('id') ?? '';
    if (!id) return json(envelope(requestId, Code.fail, 'empty restore id', null));
    const task = tasks.restores.get(id);
    if (!task) return json(envelope(requestId, Code.fail, 'task not found', null));
    return json(envelope(requestId, Code.success, 'success', restoreTask(task)));
  }

  async function handleCheck(): Promise<Reply> {
    try {
      const r = await checkSetup({ config });
      // Go core/check/task.go writeResult
      const lines = ['', `Milvus version: ${r.milvusVersion}`, 'Storage:',
        `  milvus-storage-type: ${config.milvus.storage.provider}`, `  milvus-bucket: ${r.milvusBucket}`, `  milvus-rootpath: ${r.milvusRoot}`,
        `  backup-storage-type: ${config.backup.storage.provider}`, `  backup-bucket: ${r.backupBucket}`, `  backup-rootpath: ${r.backupRoot}`];
      if (r.milvusRootEmpty) lines.push('', '!!! Milvus root path is empty !!! ', 'If your Milvus instance is expected to have data,', 'please check your minio configuration.', '(address / bucket / rootPath).');
      else lines.push('', 'Success!');
      return text(lines.join('\n') + '\n');
    } catch (e) {
      return ginError(500, message(e));
    }
  }

  async function route(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = header(req, 'request_id') || randomUUID();
    const m = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    if (path === '/' || (path === '/api/v1/hello' && m === 'GET')) return text('Hello, This is backup service');
    const body = async (invalid: (err: string) => Reply): Promise<Body | Reply> => {
      const raw = await readBody(req);
      try {
        const v: unknown = JSON.parse(raw);
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return invalid('body is not a JSON object');
        return v as Body;
      } catch (e) {
        return invalid(message(e));
      }
    };
    const isReply = (x: Body | Reply): x is Reply => typeof (x as Reply).status === 'number' && typeof (x as Reply).body === 'string' && 'type' in x;
    switch (`${m} ${path}`) {
      case 'POST /api/v1/create': {
        const b = await body(() => ginError(400, 'Invalid request body'));
        return isReply(b) ? b : handleCreate(requestId, b);
      }
      case 'GET /api/v1/list': return handleList(header(req, 'request_id'), q);
      // Go builds the get_backup answer before it fills in a missing request id: only the header's is echoed
      case 'GET /api/v1/get_backup': return handleGetBackup(header(req, 'request_id'), q);
      case 'DELETE /api/v1/delete': return handleDelete(requestId, q);
      case 'POST /api/v1/restore': {
        const b = await body((err) => ginError(400, `invalid request body: ${err}`));
        return isReply(b) ? b : handleRestore(requestId, b);
      }
      case 'GET /api/v1/get_restore': return handleGetRestore(header(req, 'request_id'), q);
      case 'GET /api/v1/check': return handleCheck();
      case 'POST /api/v1/restore_secondary':
        return json(envelope(requestId, Code.notSupport, 'restore_secondary is not supported yet: restore into the secondary cluster with POST /api/v1/restore (or milvus-backup restore) against its config', null));
      default:
        return { status: 404, type: 'plain404', body: '404 page not found' };
    }
  }

  const server: Server = createServer((req, res) => {
    route(req).then(
      (r) => send(res, r),
      (e: unknown) => send(res, ginError(500, message(e))),
    ).finally(() => log(`${req.method} ${req.url} ${res.statusCode}`));
  });
  const host = o.host ?? '';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host || undefined, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host,
    tasks,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const ac of aborts) ac.abort(new Error('server stopped'));
      await Promise.allSettled([...running]);
    },
  };
}

function send(res: ServerResponse, r: Reply): void {
  const type = r.type === 'json' ? 'application/json; charset=utf-8' : r.type === 'text' ? 'text/plain; charset=utf-8' : 'text/plain';
  res.writeHead(r.status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(r.body) });
  res.end(r.body);
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Go core/server/restore.go complete(): `restore_2006_01_02_15_04_05_<nanoseconds>`. */
function restoreTaskId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const ns = now.getUTCMilliseconds() * 1_000_000 + Math.floor(Math.random() * 1_000_000);
  return `restore_${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}_${ns}`;
}
