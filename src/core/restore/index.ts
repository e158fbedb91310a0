/** The restore engine (Go `core/restore/`): `planRestore` previews, `restoreBackup` runs. */
export { restoreBackup, type RestoreResult } from './restore';
export { planRestore } from './preview';
export { previewText } from './previewText';
export { buildPlan, databasesNeeded, type RestorePlan, type CollectionTaskPlan } from './plan';
export { mapperFor, parseRename } from './mapping';
export type { Namespace } from '../layout';
export { checkRows } from './verifyRows';
export * from './types';
