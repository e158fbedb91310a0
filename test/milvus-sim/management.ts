/**
 * The management HTTP API on its own port (Milvus: 9091, internal/http + internal/proxy/management.go):
 *   GET /healthz
 *   GET /management/datacoord/garbage_collection/pause?pause_seconds=N[&collection_id=ID]
 *   GET /management/datacoord/garbage_collection/resume[?ticket=T]
 * Before 2.6.8 the pause is cluster-wide and answers {"msg":"OK"}; from 2.6.8 a non-zero collection_id pauses
 * GC of that collection only and the answer carries a ticket ({"msg":"OK","data":{"ticket":…}}, the shape the
 * Go milvus-backup reads: internal/client/milvus/manage.go CommonResp[pauseGCResp]), resumed with ?ticket=.
 *
 * Simulator administration (not Milvus; for the hazard and reliability suites):
 *   POST /sim/faults      body: a FaultSpec or an array of them (see faults.ts); GET lists, DELETE clears
 *   POST /sim/compact?collection_id=ID   merge the collection's flushed segments now
 *   POST /sim/gc          run one garbage-collection pass now (respects pauses)
 */
import * as http from 'node:http';
import type { SimState } from './state.js';
import type { FaultSpec } from './faults.js';
import { sleep } from './faults.js';

function send(res: http.ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createManagementServer(s: SimState): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = url.pathname;
      const fault = route.startsWith('/management/') ? s.faults.take(`gc/${route.endsWith('/pause') ? 'pause' : 'resume'}`) : undefined;
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.error) return send(res, 500, { msg: `failed to pause garbage collection, ${fault.error}` });
      try {
        if (route === '/healthz' && req.method === 'GET') return send(res, 200, 'OK');

        if (route === '/management/datacoord/garbage_collection/pause' && req.method === 'GET') {
          const raw = url.searchParams.get('pause_seconds') ?? '';
          const seconds = Number(raw);
          if (!/^\d+$/.test(raw) || seconds <= 0) return send(res, 400, { msg: `invalid pause seconds(${raw})` });
          const collectionId = url.searchParams.get('collection_id') ?? '0';
          const perCollection = s.features.collectionGcTickets && collectionId !== '0' && collectionId !== '';
          const r = s.dp().pauseGc(seconds, perCollection ? collectionId : undefined);
          if (s.features.collectionGcTickets && r.ticket) return send(res, 200, { msg: 'OK', data: { ticket: r.ticket } });
          return send(res, 200, { msg: 'OK' });
        }

        if (route === '/management/datacoord/garbage_collection/resume' && req.method === 'GET') {
          const ticket = url.searchParams.get('ticket') ?? undefined;
          s.dp().resumeGc(s.features.collectionGcTickets ? ticket : undefined);
          return send(res, 200, { msg: 'OK' });
        }

        if (route === '/sim/faults') {
          if (req.method === 'GET') return send(res, 200, { faults: s.faults.list() });
          if (req.method === 'DELETE') {
            s.faults.clear();
            return send(res, 200, { faults: [] });
          }
          if (req.method === 'POST') {
            const body = JSON.parse((await readBody(req)) || '[]') as FaultSpec | FaultSpec[];
            for (const f of Array.isArray(body) ? body : [body]) s.faults.add(f);
            return send(res, 200, { faults: s.faults.list() });
          }
        }

        if (route === '/sim/compact' && req.method === 'POST') {
          const id = url.searchParams.get('collection_id') ?? '';
          const c = s.catalog.collectionById(id);
          if (!c) return send(res, 404, { msg: `collection not found: ${id}` });
          return send(res, 200, await s.dp().compact(s.view(c)));
        }

        if (route === '/sim/gc' && req.method === 'POST') return send(res, 200, await s.dp().runGc());

        send(res, 404, '404 page not found');
      } catch (e) {
        send(res, 500, { msg: (e as Error).message });
      }
    })();
  });
}
