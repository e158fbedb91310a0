/**
 * Diagnostics as you type: one DiagnosticCollection, every config document validated on open and ~200 ms after
 * the last edit, cleared on close, all re-published when the mode setting or the installed extensions change.
 * Validation is `validateConfigText`, the function the engine loads with, so an error here is what it refuses.
 */
import * as vscode from 'vscode';
import type { YamlLog } from './yamlLog';
import { schemaVersionOfText } from '../../core/config';
import { isConfigTextDocument, mayBeConfig, redHatAppliesSchema, validationMode } from './documents';
import { problemsToPublish } from './mode';
import { forgetProblems, problemsOf } from './problemCache';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from './problemsToDiagnostics';

const DEBOUNCE_MS = 200;

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: YamlLog) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.validate(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('milvusBackup.validation')) this.validateAll();
      }),
      vscode.extensions.onDidChange(() => this.validateAll()),
    );
    this.validateAll();
  }

  validateAll(): void {
    forgetProblems();
    for (const d of vscode.workspace.textDocuments) this.validate(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!mayBeConfig(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!doc.isClosed) this.validate(doc);
    }, DEBOUNCE_MS));
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.collection.delete(uri);
    forgetProblems(uri);
  }

  validate(doc: vscode.TextDocument): void {
    if (!isConfigTextDocument(doc)) {
      if (this.collection.has(doc.uri)) this.collection.delete(doc.uri);
      return;
    }
    try {
      const problems = problemsOf(doc);
      const shown = problemsToPublish(problems, validationMode(doc.uri), redHatAppliesSchema(doc), schemaVersionOfText(doc.getText()));
      this.collection.set(doc.uri, shown.map(toDiagnostic));
    } catch (e) {
      // The validator never throws for bad content; if it does, that is our bug: log it, don't break typing.
      this.log.error(`[yaml] validating ${doc.uri.fsPath}: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
