import { GoObject, goMarshal, JsonNumber, newMessage, stringifyMeta, toBackupInfoBrief, type BackupInfo, type BackupInfoBrief } from '../../core/meta';
import { BackupInfoBriefDesc } from '../../core/meta/schema';
import type { GoValue } from '../../core/meta/goJson';
import type { CollectionTaskView, RestoreTaskView, TaskView } from './tasks';

/**
 * The Go tool's REST answers, byte for byte: gin's `c.JSON` is Go's `json.Marshal` of the backuppb structs,
 * whose tags (core/proto/backuppb/backup.pb.go) decide key spelling (`requestId`, `errorMessage`, `state_code`),
 * order (field order) and omission (`omitempty` on most fields, not on `data`, `size`, `state_code`, `progress`).
 */

/** backuppb.ResponseCode */
export const Code = { success: 0, notSupport: 1, noPermission: 2, fail: 3, parameterError: 400, notFound: 404 } as const;

/** A field written only when not its zero value (`json:",omitempty"`). */
type Field = [string, GoValue, 'omitempty'?];

function obj(fields: Field[]): GoObject {
  return new GoObject(fields.filter(([, v, o]) => o !== 'omitempty' || !isZero(v)).map(([k, v]) => [k, v]));
}

function isZero(v: GoValue): boolean {
  return v === '' || v === 0 || v === 0n || v === false || v === null || (Array.isArray(v) && v.length === 0);
}

/** `{requestId, code, msg, data}`: the envelope of every backuppb *Response. `data` undefined = no data field. */
export function envelope(requestId: string, code: number, msg: string, data?: GoValue): string {
  const fields: Field[] = [['requestId', requestId, 'omitempty'], ['code', code, 'omitempty'], ['msg', msg, 'omitempty']];
  if (data !== undefined) fields.push(['data', data]);
  return goMarshal(obj(fields));
}

/** backuppb.BackupSummary, as `list` returns them. */
export function backupSummary(s: { id?: string; name: string; size: bigint; milvusVersion: string }): GoObject {
  return obj([['id', s.id ?? '', 'omitempty'], ['name', s.name, 'omitempty'], ['size', s.size], ['milvus_version', s.milvusVersion, 'omitempty']]);
}

/**
 * backuppb.BackupInfoBrief (Go pbconv.NewBackupInfoBrief(task, backup, metaSize)): the task's id, state, times
 * and progress, and, once the backup is complete, what its meta says. Written by the meta codec, whose tags
 * are the proto's, and embedded verbatim.
 */
export function backupBrief(task: TaskView | undefined, backup: { info: BackupInfo; metaSize: bigint } | undefined): GoValue {
  const base: BackupInfoBrief = backup ? toBackupInfoBrief(backup.info, backup.metaSize) : newMessage<BackupInfoBrief>(BackupInfoBriefDesc, {});
  if (task) {
    Object.assign(base, {
      id: task.id, stateCode: task.state, errorMessage: task.error, progress: task.progress,
      startTime: BigInt(task.startTime), endTime: BigInt(task.endTime),
    });
    if (!backup) base.name = task.name;
  }
  // JsonNumber writes its text verbatim: here a whole JSON object from the meta writer
  return new JsonNumber(stringifyMeta(BackupInfoBriefDesc, base)) as unknown as GoValue;
}

function collectionTask(c: CollectionTaskView): GoObject {
  return obj([
    ['id', c.id, 'omitempty'], ['state_code', c.state], ['errorMessage', c.error, 'omitempty'],
    ['start_time', c.startTime, 'omitempty'], ['end_time', c.endTime, 'omitempty'], ['progress', c.progress],
    ['target_db_name', c.targetDb, 'omitempty'], ['target_collection_name', c.targetCollection, 'omitempty'],
  ]);
}

/** backuppb.RestoreBackupTaskResponse */
export function restoreTask(t: RestoreTaskView): GoObject {
  return obj([
    ['id', t.id, 'omitempty'], ['state_code', t.state], ['errorMessage', t.error, 'omitempty'],
    ['start_time', t.startTime, 'omitempty'], ['end_time', t.endTime, 'omitempty'], ['progress', t.progress],
    ['collection_restore_tasks', [...t.collections.values()].map(collectionTask), 'omitempty'],
  ]);
}
