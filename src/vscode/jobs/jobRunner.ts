import * as vscode from 'vscode';
import { isAbortError } from '../../core/errors';
import type { ProgressEvent } from '../../core/jobs/progress';
import { formatBytes } from '../format';
import { Disposable } from '../lifecycle';
import { errorMessage, type Logger } from '../log';

interface JobContext {
  signal: AbortSignal;
  /** feed engine events here: they become the notification's text and the log */
  onProgress: (e: ProgressEvent) => void;
}

type JobOutcome<T> = { ok: true; value: T } | { ok: false; cancelled: boolean; error: string };

/**
 * Runs long work (backup, restore, delete, verify) in a cancellable progress notification. The notification's
 * CancellationToken is bridged to an AbortController, so the engines only know AbortSignal. A status-bar item
 * counts running jobs; `cancelAll()` (deactivate) aborts them. Failures end as one message with *Show Log*.
 */
export class JobRunner extends Disposable {
  private readonly running = new Set<AbortController>();
  private readonly status = this._register(vscode.window.createStatusBarItem('milvusBackup.jobs', vscode.StatusBarAlignment.Left, 50));
  private readonly changed = this._register(new vscode.EventEmitter<number>());
  /** fires with the number of running jobs */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Logger) {
    super();
    this.status.name = 'Milvus Backup jobs';
    this.status.command = 'milvusBackup.showLog';
  }

  get count(): number {
    return this.running.size;
  }

  async run<T>(title: string, work: (ctx: JobContext) => Promise<T>): Promise<JobOutcome<T>> {
    const ac = new AbortController();
    this.running.add(ac);
    this.updateStatus();
    this.log.info(`${title}: started`);
    try {
      const value = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          const sub = token.onCancellationRequested(() => ac.abort(new Error('cancelled by the user')));
          try {
            return await work({ signal: ac.signal, onProgress: this.reporter(title, progress) });
          } finally {
            sub.dispose();
          }
        },
      );
      this.log.info(`${title}: done`);
      return { ok: true, value };
    } catch (e) {
      const cancelled = ac.signal.aborted || isAbortError(e);
      const error = cancelled ? `${title}: cancelled` : `${title} failed: ${errorMessage(e)}`;
      this.log.error(error);
      if (!cancelled && e instanceof Error && e.stack) this.log.debug(e.stack);
      void this.showError(error, cancelled);
      return { ok: false, cancelled, error };
    } finally {
      this.running.delete(ac);
      this.updateStatus();
    }
  }

  /** One clear message; *Show Log* opens the channel with the details. Not awaited by callers. */
  async showError(message: string, cancelled = false): Promise<void> {
    const show = cancelled ? vscode.window.showWarningMessage(message) : vscode.window.showErrorMessage(message, 'Show Log');
    if ((await show) === 'Show Log') await vscode.commands.executeCommand('milvusBackup.showLog');
  }

  cancelAll(): void {
    for (const ac of this.running) ac.abort(new Error('the extension is shutting down'));
  }

  private updateStatus(): void {
    const n = this.running.size;
    this.changed.fire(n);
    if (n === 0) {
      this.status.hide();
      return;
    }
    this.status.text = `$(sync~spin) ${n} Milvus backup job${n === 1 ? '' : 's'}`;
    this.status.tooltip = 'Milvus Backup: jobs running (click for the log)';
    this.status.show();
  }

  /** Engine events → notification text (throttled to 4/s) and log lines. */
  private reporter(title: string, progress: vscode.Progress<{ message?: string; increment?: number }>) {
    let last = 0;
    let pct = 0;
    let collectionsDone = 0;
    let collectionsStarted = 0;
    return (e: ProgressEvent) => {
      switch (e.kind) {
        case 'phase':
          this.log.info(`${title}: ${e.message}`);
          progress.report({ message: e.message });
          return;
        case 'collection':
          if (e.state === 'started') collectionsStarted++;
          else collectionsDone++;
          this.log.info(`${title}: ${e.db}.${e.collection} ${e.state}${e.message ? ` — ${e.message}` : ''}`);
          progress.report({ message: `collections ${collectionsDone}/${Math.max(collectionsStarted, collectionsDone)}: ${e.db}.${e.collection} ${e.state}` });
          return;
        case 'bytes': {
          const now = Date.now();
          const next = e.totalBytes > 0 ? Math.floor((e.doneBytes / e.totalBytes) * 100) : pct;
          if (now - last < 250 && e.doneBytes < e.totalBytes) return;
          last = now;
          const increment = Math.max(0, next - pct);
          pct = Math.max(pct, next);
          progress.report({
            increment,
            message: `${formatBytes(e.doneBytes)} of ${formatBytes(e.totalBytes)}, ${e.doneObjects}/${e.totalObjects} objects · collections done ${collectionsDone}`,
          });
          return;
        }
        case 'warning':
          this.log.warn(`${title}: ${e.message}`);
          return;
        case 'log':
          if (e.level === 'info') this.log.info(`${title}: ${e.message}`);
          else this.log.debug(`${title}: ${e.message}`);
      }
    };
  }
}
