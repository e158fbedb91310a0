// What the explorer suites share: reading a service address the launcher exported, walking the tree by labels
// through the extension's own TreeDataProvider (the `testing.explorer` of its API), and running a command with
// scripted answers.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { activate } from './helpers';

type Testing = NonNullable<Awaited<ReturnType<typeof activate>>['testing']>;
export type Node = Parameters<Testing['explorer']['getTreeItem']>[0];

/** The value of an environment variable test/extension/services.ts set; fails clearly when it is missing. */
export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: the launcher starts the services in test/extension/services.ts`);
  return v;
}

/** Polls until `get` returns something truthy (diagnostics and reloads are debounced and published asynchronously). */
export async function waitFor<T>(what: string, get: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Tree walking by label, and withAnswers; `testing` is read at each call, as suites set it in their `before`. */
export function treeNav(testing: () => Testing) {
  const explorer = () => testing().explorer;
  const children = (node?: Node): Promise<Node[]> => Promise.resolve(explorer().getChildren(node));
  const item = (n: Node): vscode.TreeItem => explorer().getTreeItem(n);
  const label = (n: Node): string => {
    const l = item(n).label;
    return typeof l === 'string' ? l : l?.label ?? '';
  };
  const child = async (parent: Node | undefined, name: string): Promise<Node> => {
    const all = await children(parent);
    const found = all.find((n) => label(n) === name);
    assert.ok(found, `no "${name}" under ${parent ? label(parent) : 'the root'}: [${all.map(label).join(', ')}]`);
    return found;
  };
  const path = async (...names: string[]): Promise<Node> => {
    let n: Node | undefined;
    for (const name of names) n = await child(n, name);
    return n!;
  };
  /** Runs a command with these answers; asserts every answer was used and nothing unexpected was asked. */
  const withAnswers = async <T>(answers: Parameters<Testing['scriptUserInput']>[0], run: () => Thenable<T>): Promise<T> => {
    const { input, restore } = testing().scriptUserInput(answers);
    try {
      const r = await run();
      assert.deepEqual(input.unexpected, []);
      assert.equal(input.remaining, 0, `unused answers; asked: ${input.asked.join(' | ')}`);
      return r;
    } finally {
      restore.dispose();
    }
  };
  return { children, item, label, child, path, withAnswers };
}
