/**
 * Progress events the engines emit; the CLI renders them as a bar, the extension as a notification.
 * Byte and object counts are cumulative totals for the job so far, so a consumer may drop events freely.
 */
export type ProgressEvent =
  | { kind: 'phase'; phase: string; message: string }
  | { kind: 'collection'; db: string; collection: string; state: 'started' | 'done' | 'failed'; message?: string }
  | { kind: 'bytes'; doneBytes: number; totalBytes: number; doneObjects: number; totalObjects: number; collection?: string }
  | { kind: 'warning'; message: string }
  | { kind: 'log'; level: 'debug' | 'info'; message: string };

export type ProgressListener = (e: ProgressEvent) => void;
export const noProgress: ProgressListener = () => {};
