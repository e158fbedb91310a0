/** Connect, GetVersion, CheckHealth, AllocTimestamp (internal/proxy/impl.go). */
import type { HandlerMap } from './common.js';

export const metaHandlers: HandlerMap = {
  Connect(req, ctx, s) {
    // The proxy registers the client and returns an identifier the SDK then sends as `identifier` metadata;
    // build_tags carries the version (what milvus-backup parses first, spec §3.1).
    const identifier = s.catalog.allocId();
    s.connections.set(identifier, {
      sdkType: String(req.client_info?.sdk_type ?? ''),
      user: ctx.user ?? String(req.client_info?.user ?? ''),
      lastActive: Date.now(),
    });
    return {
      server_info: {
        build_tags: s.version.tag,
        build_time: 'Milvus test server',
        git_commit: 'milvus-sim',
        go_version: 'n/a (TypeScript simulator)',
        deploy_mode: 'CLUSTER',
        reserved: {},
      },
      identifier,
    };
  },

  GetVersion(_req, _ctx, s) {
    return { version: s.version.tag };
  },

  CheckHealth() {
    return { isHealthy: true, reasons: [], quota_states: [] };
  },

  AllocTimestamp(_req, _ctx, s) {
    return { timestamp: s.allocTs() };
  },
};
