import * as vscode from 'vscode';

/**
 * Base for long-lived objects (vscode-pull-request-github's `common/lifecycle.ts` pattern): whatever a class
 * creates that must be released is `_register`ed once and disposed with it, so nothing leaks on deactivate.
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.disposables.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
