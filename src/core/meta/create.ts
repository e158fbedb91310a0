import { newMessage } from './codec';
import * as S from './schema';
import type * as T from './types';

/**
 * Constructors that fill every field with Go's zero value, so code building meta (the backup engine, tests)
 * only names what it sets and the codec sees a complete object.
 */
export const newBackupInfo = (p?: Partial<T.BackupInfo>) => newMessage<T.BackupInfo>(S.BackupInfoDesc, p);
export const newCollectionBackupInfo = (p?: Partial<T.CollectionBackupInfo>) =>
  newMessage<T.CollectionBackupInfo>(S.CollectionBackupInfoDesc, p);
export const newPartitionBackupInfo = (p?: Partial<T.PartitionBackupInfo>) =>
  newMessage<T.PartitionBackupInfo>(S.PartitionBackupInfoDesc, p);
export const newSegmentBackupInfo = (p?: Partial<T.SegmentBackupInfo>) =>
  newMessage<T.SegmentBackupInfo>(S.SegmentBackupInfoDesc, p);
export const newFieldBinlog = (p?: Partial<T.FieldBinlog>) => newMessage<T.FieldBinlog>(S.FieldBinlogDesc, p);
export const newBinlog = (p?: Partial<T.Binlog>) => newMessage<T.Binlog>(S.BinlogDesc, p);
export const newCollectionSchema = (p?: Partial<T.CollectionSchema>) =>
  newMessage<T.CollectionSchema>(S.CollectionSchemaDesc, p);
export const newFieldSchema = (p?: Partial<T.FieldSchema>) => newMessage<T.FieldSchema>(S.FieldSchemaDesc, p);
export const newFunctionSchema = (p?: Partial<T.FunctionSchema>) =>
  newMessage<T.FunctionSchema>(S.FunctionSchemaDesc, p);
export const newStructArrayFieldSchema = (p?: Partial<T.StructArrayFieldSchema>) =>
  newMessage<T.StructArrayFieldSchema>(S.StructArrayFieldSchemaDesc, p);
export const newIndexInfo = (p?: Partial<T.IndexInfo>) => newMessage<T.IndexInfo>(S.IndexInfoDesc, p);
export const newDatabaseBackupInfo = (p?: Partial<T.DatabaseBackupInfo>) =>
  newMessage<T.DatabaseBackupInfo>(S.DatabaseBackupInfoDesc, p);
export const newRBACMeta = (p?: Partial<T.RBACMeta>) => newMessage<T.RBACMeta>(S.RBACMetaDesc, p);
