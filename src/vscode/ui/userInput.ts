import * as vscode from 'vscode';

/**
 * Every prompt the extension shows goes through this seam (Azure's `context.ui` pattern), so a command is a
 * plain function of its inputs: production answers from the real window, tests answer from a queue, and a
 * prompt a test did not expect fails that test at once instead of leaving the extension host waiting.
 */
/**
 * A prompt that is one step of a multi-step wizard: the title bar shows `step/totalSteps`, and from the second
 * step on a Back button, which rejects the prompt with GoBack (the wizard then asks the previous step again,
 * with what was answered there filled in). Such prompts stay open when focus moves elsewhere.
 */
export interface StepInfo {
  step?: number;
  totalSteps?: number;
}

/** The user pressed a wizard prompt's Back button. */
export class GoBack extends Error {
  override readonly name = 'GoBack';
}

export interface UserInput {
  showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options?: vscode.QuickPickOptions & StepInfo,
  ): Promise<T | undefined>;
  showInputBox(options?: vscode.InputBoxOptions & StepInfo): Promise<string | undefined>;
  /** A warning with buttons; resolves to the chosen button's title, undefined when dismissed. */
  showWarningMessage(message: string, options: vscode.MessageOptions, ...buttons: string[]): Promise<string | undefined>;
  showOpenDialog(options?: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
  /** A quick pick with check boxes; resolves to the items checked (possibly none), undefined when dismissed. */
  showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions & StepInfo): Promise<T[] | undefined>;
}

type PromptKind = 'quickPick' | 'inputBox' | 'warning' | 'openDialog' | 'quickPickMany';

/** How a prompt is listed in `asked`: its title, and `(step/total)` for a wizard step. */
function promptTitle(o: (vscode.QuickPickOptions & StepInfo) | (vscode.InputBoxOptions & StepInfo) | undefined): string {
  const title = o?.title ?? ('prompt' in (o ?? {}) ? (o as vscode.InputBoxOptions).prompt : undefined) ?? o?.placeHolder ?? '';
  return o?.step ? `${title} (${o.step}/${o.totalSteps ?? '?'})` : title;
}

/** The production implementation: the real window. */
export class WindowUserInput implements UserInput {
  async showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options?: vscode.QuickPickOptions & StepInfo,
  ): Promise<T | undefined> {
    if (options?.step) return (await stepQuickPick(await items, options, false))?.[0];
    return vscode.window.showQuickPick(items, { ...options, canPickMany: false });
  }
  async showInputBox(options?: vscode.InputBoxOptions & StepInfo): Promise<string | undefined> {
    if (options?.step) return stepInputBox(options);
    return vscode.window.showInputBox(options);
  }
  async showWarningMessage(message: string, options: vscode.MessageOptions, ...buttons: string[]): Promise<string | undefined> {
    return vscode.window.showWarningMessage(message, options, ...buttons);
  }
  async showOpenDialog(options?: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    return vscode.window.showOpenDialog(options);
  }
  async showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions & StepInfo): Promise<T[] | undefined> {
    if (options?.step) return stepQuickPick(items, options, true);
    return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
  }
}

/** A wizard step's input box (createInputBox: the showInputBox shorthand has no step or buttons). */
function stepInputBox(o: vscode.InputBoxOptions & StepInfo): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: o.title, step: o.step, totalSteps: o.totalSteps, value: o.value ?? '', prompt: o.prompt, placeholder: o.placeHolder, password: Boolean(o.password), ignoreFocusOut: true });
    if (o.step && o.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
    const check = async (v: string) => {
      const m = await o.validateInput?.(v);
      return typeof m === 'string' ? m : m?.message;
    };
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      f();
      box.dispose();
    };
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => reject(new GoBack())));
    box.onDidChangeValue(async (v) => (box.validationMessage = await check(v)));
    box.onDidAccept(async () => {
      const m = await check(box.value);
      if (m) box.validationMessage = m;
      else finish(() => resolve(box.value));
    });
    box.onDidHide(() => finish(() => resolve(undefined)));
    box.show();
    if (box.value) void check(box.value).then((m) => (box.validationMessage = m));
  });
}

/** A wizard step's quick pick, single or with check boxes (createQuickPick, for step and Back). */
function stepQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], o: vscode.QuickPickOptions & StepInfo, many: boolean): Promise<T[] | undefined> {
  return new Promise((resolve, reject) => {
    const qp = vscode.window.createQuickPick<T>();
    Object.assign(qp, { title: o.title, step: o.step, totalSteps: o.totalSteps, placeholder: o.placeHolder, canSelectMany: many, ignoreFocusOut: true, matchOnDescription: Boolean(o.matchOnDescription) });
    qp.items = items;
    if (many) qp.selectedItems = items.filter((i) => i.picked);
    if (o.step && o.step > 1) qp.buttons = [vscode.QuickInputButtons.Back];
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      f();
      qp.dispose();
    };
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => reject(new GoBack())));
    qp.onDidAccept(() => {
      const chosen = many ? [...qp.selectedItems] : qp.selectedItems.length ? [...qp.selectedItems] : [...qp.activeItems].slice(0, 1);
      if (!many && chosen.length === 0) return;
      finish(() => resolve(chosen));
    });
    qp.onDidHide(() => finish(() => resolve(undefined)));
    qp.show();
  });
}

/**
 * The one instance commands receive. It forwards to the production implementation unless a test has put
 * another in its place, so commands never know whether a person or a test is answering.
 */
export class SwitchableUserInput implements UserInput {
  private current: UserInput;
  constructor(private readonly fallback: UserInput) {
    this.current = fallback;
  }
  /** Answers with `input` until the returned disposable is disposed. */
  use(input: UserInput): vscode.Disposable {
    this.current = input;
    return new vscode.Disposable(() => {
      if (this.current === input) this.current = this.fallback;
    });
  }
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, options?: vscode.QuickPickOptions) {
    return this.current.showQuickPick(items, options);
  }
  showInputBox(options?: vscode.InputBoxOptions) {
    return this.current.showInputBox(options);
  }
  showWarningMessage(message: string, options: vscode.MessageOptions, ...buttons: string[]) {
    return this.current.showWarningMessage(message, options, ...buttons);
  }
  showOpenDialog(options?: vscode.OpenDialogOptions) {
    return this.current.showOpenDialog(options);
  }
  showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions) {
    return this.current.showQuickPickMany(items, options);
  }
}

/** What a scripted answer may be: a value, or a function of the prompt (to pick among items it is shown). */
export type Answer =
  | { kind: 'quickPick'; pick: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined }
  | { kind: 'inputBox'; value: string | undefined }
  | { kind: 'warning'; button: string | undefined }
  | { kind: 'openDialog'; uris: vscode.Uri[] | undefined }
  | { kind: 'quickPickMany'; pick: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem[] | undefined }
  /** presses Back on whatever wizard step is asked next */
  | { kind: 'back' };

class UnexpectedPromptError extends Error {
  override readonly name = 'UnexpectedPromptError';
}

/**
 * The test implementation: answers prompts in order from a queue. A prompt with no answer queued, or of another
 * kind than the next answer, rejects (so the command stops instead of hanging) and is recorded, so a test can
 * assert `unexpected` is empty even when the command swallowed the error.
 */
export class ScriptedUserInput implements UserInput {
  readonly unexpected: string[] = [];
  /** Every prompt shown, in order, e.g. "inputBox: Backup name". */
  readonly asked: string[] = [];
  /** Scripted inputs the prompt's validateInput refused (what a user would see as the red message). */
  readonly refused: string[] = [];
  private readonly queue: Answer[];

  constructor(answers: Answer[] = []) {
    this.queue = [...answers];
  }

  /** Answers still queued; a test usually expects none left. */
  get remaining(): number {
    return this.queue.length;
  }

  enqueue(...answers: Answer[]): this {
    this.queue.push(...answers);
    return this;
  }

  private next<K extends PromptKind>(kind: K, title: string, step?: number): Extract<Answer, { kind: K }> {
    this.asked.push(`${kind}: ${title}`);
    const answer = this.queue[0];
    if (answer?.kind === 'back' && step && step > 1) {
      this.queue.shift();
      throw new GoBack();
    }
    if (!answer || answer.kind !== kind) {
      const why = answer ? `the next scripted answer is a ${answer.kind}` : 'no answer was scripted';
      const message = `unexpected ${kind} prompt "${title}" (${why})`;
      this.unexpected.push(message);
      throw new UnexpectedPromptError(message);
    }
    this.queue.shift();
    return answer as Extract<Answer, { kind: K }>;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options?: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const answer = this.next('quickPick', promptTitle(options), (options as StepInfo | undefined)?.step);
    return answer.pick(await items) as T | undefined;
  }
  async showInputBox(options?: vscode.InputBoxOptions & StepInfo): Promise<string | undefined> {
    // A scripted answer goes through the prompt's own validation, as typing would: a refused one is recorded
    // (the red message a user would read) and the box stays open for the next scripted answer, as for a retype.
    for (;;) {
      const { value } = this.next('inputBox', promptTitle(options), options?.step);
      const invalid = value === undefined ? undefined : await options?.validateInput?.(value);
      if (!invalid) return value;
      this.refused.push(`${promptTitle(options)}: "${value}": ${typeof invalid === 'string' ? invalid : invalid.message}`);
    }
  }
  async showWarningMessage(message: string, _options: vscode.MessageOptions, ...buttons: string[]): Promise<string | undefined> {
    const { button } = this.next('warning', message);
    if (button !== undefined && !buttons.includes(button)) {
      const m = `scripted button "${button}" is not one of [${buttons.join(', ')}] for "${message}"`;
      this.unexpected.push(m);
      throw new UnexpectedPromptError(m);
    }
    return button;
  }
  async showOpenDialog(options?: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    return this.next('openDialog', options?.title ?? options?.openLabel ?? '').uris;
  }
  async showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions): Promise<T[] | undefined> {
    return this.next('quickPickMany', promptTitle(options), (options as StepInfo | undefined)?.step).pick(items) as T[] | undefined;
  }
}

/** Hooks only the extension-host tests get (see `testingApi`). */
export interface TestingApi {
  /** The very instance commands prompt through (what a script answers is what a command sees). */
  readonly userInput: UserInput;
  /** Makes every prompt answer from a fresh ScriptedUserInput until the disposable is disposed. */
  scriptUserInput(answers?: Answer[]): { input: ScriptedUserInput; restore: vscode.Disposable };
  /** The same with an implementation of the test's own. */
  useUserInput(input: UserInput): vscode.Disposable;
}

/**
 * The test hooks exported from activate(). Only in ExtensionMode.Test (a development extension run by a test
 * runner): an installed extension never lets another extension answer its prompts.
 */
export function testingApi(context: vscode.ExtensionContext, input: SwitchableUserInput): TestingApi | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    userInput: input,
    scriptUserInput(answers = []) {
      const scripted = new ScriptedUserInput(answers);
      return { input: scripted, restore: input.use(scripted) };
    },
    useUserInput: (custom) => input.use(custom),
  };
}

/** Shorthands for scripting answers: `answer.pick('prod')`, `answer.input('nightly')`, `answer.button('Overwrite')`. */
export const answer = {
  /** Picks the item whose label equals `label` (undefined, i.e. dismissed, when none does). */
  pick: (label: string): Answer => ({ kind: 'quickPick', pick: (items) => items.find((i) => i.label === label) }),
  input: (value: string | undefined): Answer => ({ kind: 'inputBox', value }),
  button: (button: string | undefined): Answer => ({ kind: 'warning', button }),
  open: (uris: vscode.Uri[] | undefined): Answer => ({ kind: 'openDialog', uris }),
  /** Checks the items whose labels are in `labels` (none matching = nothing checked). */
  pickMany: (labels: string[]): Answer => ({ kind: 'quickPickMany', pick: (items) => items.filter((i) => labels.includes(i.label)) }),
  /** Picks the first item whose label matches `re` (for labels that carry counts or codicons). */
  pickMatching: (re: RegExp): Answer => ({ kind: 'quickPick', pick: (items) => items.find((i) => re.test(i.label)) }),
  /** Presses Back on the next wizard step. */
  back: (): Answer => ({ kind: 'back' }),
};
