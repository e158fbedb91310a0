/** The backup engine (`create`, `check`), spec §3. */
export { createBackup, copyItems } from './create';
export type { BackupSummary, CollectionSummary, CreateBackupOptions } from './types';
export { STRATEGIES, parseStrategy, resolveStrategy, type Strategy, type ResolvedStrategy } from './strategy';
export { useStreaming, type TransferMode } from './copier';
export { createGcController, DEFAULT_GC_TIMING, type GcController, type GcEvent, type GcTiming } from './gcController';
export * as BackupKeys from './keys';
export { checkSetup, configRows, type CheckOptions, type CheckReport } from './check';
