export * from './gateway';
export { connectMilvus } from './sdkGateway';
export { MilvusError, checkStatus } from './status';
export * from './version';
export { gatewayOptionsFromConfig } from './fromConfig';
export { explainGrpcError } from './grpcError';
