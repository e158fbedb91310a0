import type { ResolvedConfig } from '../config/types';
import { openLocation, type OpenLocation } from '../layout';

/** The backup side of the config (`backup.storage`) as the catalog's Location (see layout/location.ts). */
export function openBackupCatalog(config: ResolvedConfig): OpenLocation {
  return openLocation(config, 'backup');
}
