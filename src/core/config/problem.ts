/** Problems are data: the loader, the validator, the CLI and the editor all read the same list. */

/** 1-based line/column range in the config file (end exclusive). */
export interface ProblemRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'information';

export interface ConfigProblem {
  /** The config key the problem is about (canonical spelling when known, else as written); '' for the file. */
  key: string;
  message: string;
  severity: Severity;
  /** Stable identifier, e.g. `invalid-bool`, `unknown-key`, `deprecated-key` (see README in this folder). */
  code: string;
  /** Where in the file, when the problem is about something written in the file. */
  range?: ProblemRange;
  /**
   * What a quick fix needs: `replacement` (a key to rename to), `suggestion` (a value or key to use instead),
   * `env` (the env var a secret can come from), `other` (the other spelling of a case duplicate).
   */
  data?: { replacement?: string; suggestion?: string; env?: string; other?: string; [k: string]: unknown };
}

/** Sorts problems by position (problems without a range first), then severity. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const rank = { error: 0, warning: 1, information: 2 } as const;
  return problems.sort((a, b) => {
    const la = a.range?.line ?? 0;
    const lb = b.range?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.range?.column ?? 0;
    const cb = b.range?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return rank[a.severity] - rank[b.severity];
  });
}
