import type * as vscode from 'vscode';
import { GoBack, type StepInfo, type UserInput } from './userInput';

/**
 * Multi-step input, as VS Code's own multi-step samples do it: every prompt says `step/total`, each step after
 * the first has a Back button, Back asks the previous step again with its answer filled in, and the total
 * counts only the steps that apply to the answers so far (no "8/8" followed by a ninth question). A step that
 * no longer applies after going back is skipped. Dismissing any prompt (Esc) closes the wizard.
 */
export interface Step<S> {
  /** a name to go back to with BackTo */
  key?: string;
  /** whether this step is asked, given the answers so far (default: always) */
  applies?(s: S): boolean;
  /** asks and stores the answer in `s`; `ask` carries the step number into every prompt */
  run(s: S, ask: StepPrompts): Promise<void>;
}

/** The user closed a wizard prompt: the wizard ends, nothing is done. */
export class WizardClosed extends Error {
  override readonly name = 'WizardClosed';
}

/** Thrown by a step to go back to the step with this key (the preview's Rename… goes back to the names). */
export class BackTo extends Error {
  override readonly name = 'BackTo';
  constructor(readonly key: string) {
    super(`back to ${key}`);
  }
}

/** UserInput's prompts with the step number set and a dismissal turned into WizardClosed. */
export interface StepPrompts {
  readonly at: StepInfo;
  input(o: vscode.InputBoxOptions): Promise<string>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], o: vscode.QuickPickOptions): Promise<T>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], o: vscode.QuickPickOptions): Promise<T[]>;
}

function prompts(input: UserInput, at: StepInfo): StepPrompts {
  const got = <T>(v: T | undefined): T => {
    if (v === undefined) throw new WizardClosed();
    return v;
  };
  return {
    at,
    input: async (o) => got(await input.showInputBox({ ignoreFocusOut: true, ...o, ...at })),
    pick: async (items, o) => got(await input.showQuickPick(items, { ignoreFocusOut: true, ...o, ...at })),
    pickMany: async (items, o) => got(await input.showQuickPickMany(items, { ignoreFocusOut: true, ...o, ...at })),
  };
}

/** Runs the steps over `state`; the filled state, or undefined when the user closed the wizard. */
export async function runWizard<S>(input: UserInput, steps: readonly Step<S>[], state: S): Promise<S | undefined> {
  const asked: number[] = []; // indexes of the steps answered, for Back
  let i = 0;
  while (i < steps.length) {
    const step = steps[i]!;
    if (step.applies && !step.applies(state)) {
      i++;
      continue;
    }
    const applying = steps.filter((s) => !s.applies || s.applies(state));
    // a one-question "wizard" (Back Up Collection's name) is a plain prompt: no 1/1, no Back
    const at = applying.length > 1 ? { step: applying.indexOf(step) + 1, totalSteps: applying.length } : {};
    try {
      await step.run(state, prompts(input, at));
      asked.push(i);
      i++;
    } catch (e) {
      if (e instanceof WizardClosed) return undefined;
      if (e instanceof BackTo) {
        const to = steps.findIndex((s) => s.key === e.key);
        while (asked.length && asked[asked.length - 1]! >= to) asked.pop();
        i = to;
        continue;
      }
      if (!(e instanceof GoBack)) throw e;
      i = asked.pop() ?? 0;
    }
  }
  return state;
}
