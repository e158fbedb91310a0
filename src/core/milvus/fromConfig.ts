import type { ResolvedConfig } from '../config/types';
import type { GatewayOptions } from './gateway';

/** The gateway settings of a resolved backup.yaml (v1 keys are already translated to the v2 shape). */
export function gatewayOptionsFromConfig(c: ResolvedConfig): GatewayOptions {
  const g = c.milvus.grpc;
  return {
    address: `${g.address}:${g.port}`,
    user: c.milvus.user || undefined,
    password: c.milvus.password || undefined,
    tls: { mode: g.tlsMode, caCertPath: g.caCertPath, serverName: g.serverName, certPath: g.mtlsCertPath, keyPath: g.mtlsKeyPath },
    restEndpoint: c.milvus.rest.endpoint || undefined,
    managementEndpoint: c.milvus.management.endpoint || undefined,
  };
}
