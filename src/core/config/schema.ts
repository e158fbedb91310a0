import type { ConfigProblem } from './problem';
import type { FileSource } from './yamlSource';

/** JSON-Schema pass (ajv); filled in with the schema. */
export function schemaProblems(_file: FileSource, _others: ConfigProblem[]): ConfigProblem[] {
  return [];
}
