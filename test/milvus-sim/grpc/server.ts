/**
 * The MilvusService gRPC server: every RPC of the SDK's proto is registered. Each call goes through, in order,
 * the version gate (RPCs the pretended release lacks → gRPC UNIMPLEMENTED, as grpc-go answers for an unknown
 * method), authentication (when a user is configured → gRPC UNAUTHENTICATED, as Milvus's interceptor), fault
 * injection, then the handler. Handler errors become in-band `status` (error_code + code + reason), never gRPC
 * errors, as the proxy reports them.
 */
import * as grpc from '@grpc/grpc-js';
import { milvusServiceDefinition, responseTypeOf } from '../protos.js';
import { errorStatus, errors, MilvusError, ErrCode, successStatus } from '../milvusError.js';
import { missingRpcs } from '../versions.js';
import { authenticate, decodeGrpcAuthorization } from '../auth.js';
import { sleep } from '../faults.js';
import type { SimState } from '../state.js';
import { DataPlaneError } from '../data/api.js';
import type { CallCtx, Handler, HandlerMap, Res } from './common.js';
import { metaHandlers } from './meta.js';
import { databaseHandlers } from './databases.js';
import { collectionHandlers } from './collections.js';
import { partitionHandlers } from './partitions.js';
import { indexHandlers } from './indexes.js';
import { dmlHandlers } from './dml.js';
import { flushHandlers } from './flush.js';
import { importHandlers } from './imports.js';
import { rbacHandlers } from './rbac.js';

/** Handler modules by area (one file each); RPCs without a handler answer in-band "service unimplemented". */
function allHandlers(): HandlerMap {
  const modules: HandlerMap[] = [metaHandlers, databaseHandlers, collectionHandlers, partitionHandlers, indexHandlers, dmlHandlers, flushHandlers, importHandlers, rbacHandlers];
  return Object.assign({}, ...modules) as HandlerMap;
}

function metaValue(md: grpc.Metadata, key: string): string | undefined {
  const v = md.get(key)[0];
  return v === undefined ? undefined : v.toString();
}

/** Turns a fault's error text into what the call returns. */
export function faultError(method: string, error: string): Error {
  switch (error) {
    case 'rate limit exceeded':
      return errors.rateLimit();
    case 'unavailable':
      return errors.unavailable();
    case 'import-failed':
      return errors.importFailed('simulated import failure');
    default:
      return new MilvusError(ErrCode.Unexpected, `${error} (simulated fault on ${method})`);
  }
}

function wrap(method: string, handler: Handler | undefined, s: SimState, missing: Set<string>): grpc.handleUnaryCall<unknown, unknown> {
  const returnsStatus = responseTypeOf(method) === 'milvus.proto.common.Status';
  // MILVUS_SIM_LOG=1: one stderr line per call (method, db header, merr code), for debugging engines against it.
  const log = process.env.MILVUS_SIM_LOG ? (line: string) => process.stderr.write(`[milvus-sim] ${line}\n`) : undefined;
  const respond = (cb: grpc.sendUnaryData<unknown>, body: Res | undefined, err?: unknown) => {
    if (err !== undefined) {
      const status = errorStatus(err);
      log?.(`${method} -> code ${status.code} ${status.error_code}: ${status.reason}`);
      cb(null, returnsStatus ? status : { status });
      return;
    }
    log?.(`${method} -> ok`);
    cb(null, returnsStatus ? successStatus() : { status: successStatus(), ...body });
  };
  return (call, callback) => {
    void (async () => {
      if (missing.has(method)) {
        callback({ code: grpc.status.UNIMPLEMENTED, details: `unknown method ${method} for service milvus.proto.milvus.MilvusService` });
        return;
      }
      let user: string | undefined;
      if (s.authEnabled) {
        user = authenticate(s.catalog, decodeGrpcAuthorization(metaValue(call.metadata, 'authorization')));
        if (!user) {
          callback({ code: grpc.status.UNAUTHENTICATED, details: 'auth check failure, please check username and password are correct' });
          return;
        }
      }
      const fault = s.faults.take(method);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.error === 'grpc-unavailable') {
        callback({ code: grpc.status.UNAVAILABLE, details: 'simulated: proxy unavailable' });
        return;
      }
      if (fault?.error && !(fault.error === 'import-failed' && method !== 'Import')) {
        respond(callback, undefined, faultError(method, fault.error));
        return;
      }
      if (!handler) {
        respond(callback, undefined, errors.unimplemented(method));
        return;
      }
      const ctx: CallCtx = { method, headerDb: metaValue(call.metadata, 'dbname'), user, metadata: call.metadata };
      try {
        const req = call.request as Record<string, unknown>;
        if (fault?.error === 'import-failed') req.__simImportFailed = true;
        respond(callback, await handler(req, ctx, s));
      } catch (e) {
        if (!(e instanceof MilvusError) && !(e instanceof DataPlaneError)) console.error(`[milvus-sim] ${method} failed:`, e);
        respond(callback, undefined, e);
      }
    })();
  };
}

export function createGrpcServer(s: SimState): grpc.Server {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024, 'grpc.max_send_message_length': 256 * 1024 * 1024 });
  const def = milvusServiceDefinition();
  const handlers = allHandlers();
  const missing = missingRpcs(s.version);
  const impl: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(def)) impl[method] = wrap(method, handlers[method], s, missing);
  server.addService(def, impl);
  return server;
}
