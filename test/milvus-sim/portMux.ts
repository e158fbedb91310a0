/**
 * gRPC and REST on one port, as Milvus's proxy serves both on 19530 (it uses cmux: HTTP/2 → gRPC, HTTP/1 →
 * gin). A plain `net.Server` accepts each connection, peeks at its first bytes and hands the socket over:
 * the HTTP/2 client preface (`PRI * HTTP/2.0\r\n`) goes to the gRPC server through grpc-js's connection
 * injector (`Server.createConnectionInjector`, grpc-js ≥ 1.10, which serves an already-accepted socket), and
 * anything else to a node `http.Server` via `emit('connection')`. The peeked bytes are pushed back with
 * `socket.unshift`, so neither server notices.
 */
import * as net from 'node:net';
import type * as http from 'node:http';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface MuxTargets {
  grpc: (socket: net.Socket) => void;
  http: http.Server;
}

export function createPortMux(targets: MuxTargets): net.Server {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ pauseOnConnect: false }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, H2_PREFACE.length);
      const isH2Prefix = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2Prefix && seen.length < H2_PREFACE.length) return; // need more bytes to decide
      socket.removeListener('data', onData);
      socket.pause();
      socket.unshift(seen);
      if (isH2Prefix) {
        // Stay paused: node's http2 session reads the buffered bytes itself on the next tick
        // (lib/internal/http2/core.js, "Socket already has some buffered data"); resuming here would emit
        // them as 'data' events nobody listens to.
        targets.grpc(socket);
      } else {
        targets.http.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
  (server as net.Server & { destroyAll?: () => void }).destroyAll = () => {
    for (const s of sockets) s.destroy();
  };
  return server;
}

export function destroyAllSockets(server: net.Server): void {
  (server as net.Server & { destroyAll?: () => void }).destroyAll?.();
}
