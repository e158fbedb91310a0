/**
 * The Milvus protocol definitions, taken from the proto-json the official Node SDK ships (no .proto files are
 * published with it). The server loads them exactly as the SDK does, so both ends agree on every field name and
 * option (snake_case names, int64 as decimal strings, enums as names).
 */
import { createRequire } from 'node:module';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

const require = createRequire(__filename);

/** The same loader options the SDK uses (`dist/milvus/grpc/BaseClient.js`). */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cachedJson: protobuf.INamespace | undefined;
let cachedRoot: protobuf.Root | undefined;
let cachedService: grpc.ServiceDefinition | undefined;

export function milvusProtoJson(): protobuf.INamespace {
  if (!cachedJson) {
    const mod = require('@zilliz/milvus2-sdk-node/dist/milvus/proto-json/milvus.js') as { default?: protobuf.INamespace };
    cachedJson = (mod.default ?? mod) as protobuf.INamespace;
  }
  return cachedJson;
}

/** protobufjs root with snake_case names (used to decode schema bytes and placeholder groups). */
export function milvusRoot(): protobuf.Root {
  if (!cachedRoot) cachedRoot = protobuf.Root.fromJSON(milvusProtoJson());
  return cachedRoot;
}

/** The MilvusService definition for grpc-js (keys are the RPC names as in milvus.proto: `Connect`, `Insert`, …). */
export function milvusServiceDefinition(): grpc.ServiceDefinition {
  if (!cachedService) {
    const def = protoLoader.fromJSON(milvusProtoJson() as never, LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      milvus: { proto: { milvus: { MilvusService: { service: grpc.ServiceDefinition } } } };
    };
    cachedService = pkg.milvus.proto.milvus.MilvusService.service;
  }
  return cachedService;
}

/** Response message type name of an RPC, e.g. `milvus.proto.common.Status` for CreateCollection. */
export function responseTypeOf(method: string): string {
  const svc = milvusRoot().lookupService('milvus.proto.milvus.MilvusService');
  const m = svc.methods[method];
  if (!m) throw new Error(`unknown RPC ${method}`);
  m.resolve();
  return m.resolvedResponseType!.fullName.replace(/^\./, '');
}

export function lookupType(name: string): protobuf.Type {
  return milvusRoot().lookupType(name);
}

/** Decodes proto bytes into a plain object shaped like the SDK's (snake_case, longs as strings, enums as names). */
export function decodeMessage<T = Record<string, unknown>>(typeName: string, bytes: Uint8Array): T {
  const t = lookupType(typeName);
  return t.toObject(t.decode(bytes), { longs: String, enums: String, defaults: true, oneofs: true, bytes: Buffer }) as T;
}

export function encodeMessage(typeName: string, obj: Record<string, unknown>): Buffer {
  const t = lookupType(typeName);
  return Buffer.from(t.encode(t.fromObject(obj)).finish());
}
