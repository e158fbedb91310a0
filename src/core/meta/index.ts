/** The backup meta model and its Go-compatible codec (Go `core/proto/backup.proto`, `internal/meta`). */
export * from './types';
export * from './create';
export { MetaFormatError, parseMeta, stringifyMeta, decodeMessage, newMessage, parseLossless } from './codec';
export { goMarshal, goQuote, GoObject, JsonNumber } from './goJson';
export * from './files';
export * from './brief';
export * as MetaSchema from './schema';
export * from './counts';
