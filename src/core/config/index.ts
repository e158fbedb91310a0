/**
 * The config module's public surface: load and validate `backup.yaml` (v1 and v2) into the normalized,
 * v2-shaped ResolvedConfig, with problems as data. No vscode import anywhere under src/core.
 */
export type { LoadOptions, LoadedConfig } from './load';
export { loadConfig, loadConfigOrThrow, validateConfigText } from './load';
export type { ConfigProblem, ProblemRange, Severity } from './problem';
export type { ValueSource, SourceKind } from './resolve';
export { maskSecret } from './mask';
export { resolveConfigPath } from './path';
export type * from './types';
export { migrateV1ToV2, type MigrationResult } from './migrate';
export { V1_PARAMS, V2_PARAMS, V1_OBSOLETE, V1_TO_V2, type ParamSpec, type ObsoleteKey } from './params';
export { keyInfo, childKeys, valuesFor, schemaVersionOfText, type KeyInfo, type ChildKey, type SchemaVersion } from './keyInfo';
