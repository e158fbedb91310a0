import type { ProgressEvent } from '../../core/jobs/progress';

/**
 * The server's task registry (the Go tool's internal/taskmgr): every create and restore it runs, by id, with
 * its state and progress, so `get_backup?backup_id=` and `get_restore?id=` can answer while and after it runs.
 * State codes are the Go enums: BackupTaskStateCode / RestoreTaskStateCode 0 initial, 1 executing, 2 success,
 * 3 fail. Tasks live as long as the server process, as in the Go tool.
 */
export const TaskState = { initial: 0, executing: 1, success: 2, fail: 3 } as const;
export type TaskStateCode = (typeof TaskState)[keyof typeof TaskState];

export interface TaskView {
  id: string;
  name: string;
  state: TaskStateCode;
  error: string;
  /** Unix seconds, 0 until set */
  startTime: number;
  endTime: number;
  /** 0–100 */
  progress: number;
}

export interface CollectionTaskView extends TaskView {
  targetDb: string;
  targetCollection: string;
}

export interface RestoreTaskView extends TaskView {
  collections: Map<string, CollectionTaskView>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function newView(id: string, name: string): TaskView {
  return { id, name, state: TaskState.initial, error: '', startTime: 0, endTime: 0, progress: 0 };
}

export function start(t: TaskView): void {
  t.state = TaskState.executing;
  t.startTime = nowSeconds();
}

export function finish(t: TaskView, error?: string): void {
  t.state = error === undefined ? TaskState.success : TaskState.fail;
  if (error !== undefined) t.error = error;
  else t.progress = 100;
  t.endTime = nowSeconds();
}

/** Progress from the engine's byte counts; never 100 before the task ends (the meta is written last). */
export function byteProgress(e: Extract<ProgressEvent, { kind: 'bytes' }>): number {
  const frac = e.totalBytes > 0 ? e.doneBytes / e.totalBytes : e.totalObjects > 0 ? e.doneObjects / e.totalObjects : 0;
  return Math.min(99, Math.floor(frac * 100));
}

export class TaskRegistry {
  readonly backups = new Map<string, TaskView>();
  readonly restores = new Map<string, RestoreTaskView>();

  newBackup(id: string, name: string): TaskView {
    const t = newView(id, name);
    this.backups.set(id, t);
    return t;
  }

  /** The latest backup task with this name (Go: GetBackupTaskByName). */
  backupByName(name: string): TaskView | undefined {
    let found: TaskView | undefined;
    for (const t of this.backups.values()) if (t.name === name) found = t;
    return found;
  }

  newRestore(id: string, name: string): RestoreTaskView {
    const t: RestoreTaskView = { ...newView(id, name), collections: new Map() };
    this.restores.set(id, t);
    return t;
  }

  /** Follows a restore's collection events: each target collection becomes a collection task. */
  static onRestoreEvent(t: RestoreTaskView, e: ProgressEvent): void {
    if (e.kind !== 'collection') return;
    const key = `${e.db}.${e.collection}`;
    let c = t.collections.get(key);
    if (!c) {
      // no id of its own: the Go tool's collection tasks answer none either (its RestoreCollectionTaskResponse id is empty)
      c = { ...newView('', key), targetDb: e.db, targetCollection: e.collection };
      t.collections.set(key, c);
    }
    if (e.state === 'started') start(c);
    else finish(c, e.state === 'failed' ? (e.message ?? 'failed') : undefined);
    const done = [...t.collections.values()].filter((x) => x.state === TaskState.success).length;
    t.progress = Math.max(t.progress, Math.min(99, Math.floor((done * 100) / Math.max(1, t.collections.size))));
  }
}
