// A preload for cluster-hops.ts in every relay: a timestamp (CLOCK_MONOTONIC, shared by every process on the machine)
// at each library boundary a cross-process delivery crosses, and every setImmediate with how long it waited.
// Debug only: nothing in the relay's own code changes.
import { createRequire } from 'node:module';
import { appendFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
const require = createRequire(import.meta.url);
const dir = process.env.CLUSTER_HOPS_DIR;
mkdirSync(dir, { recursive: true });
const file = `${dir}/${process.pid}.jsonl`;
let events = [];
const now = () => Number(process.hrtime.bigint() / 1000n);
const note = (kind, detail = '') => events.push([now(), kind, detail]);
const port = (url) => (url ? Number(new URL(url).port || 0) : -1);
const redisPort = port(process.env.REDIS_URL);
const pgPort = port(process.env.DATABASE_URL) || 5432;
const channelKind = (channel) =>
  String(channel)
    .replace(/^bench:/, '')
    .split(':')[0];

const WS = require('ws');
const wsEmit = WS.prototype.emit;
WS.prototype.emit = function (event, ...rest) {
  if (event === 'message') note('ws-in', rest[0]?.length ?? 0);
  return wsEmit.call(this, event, ...rest);
};
const wsSend = WS.prototype.send;
WS.prototype.send = function (data, ...rest) {
  note('ws-send', data?.length ?? 0);
  return wsSend.call(this, data, ...rest);
};
const Redis = require('ioredis');
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, ...rest) {
  if (command?.name === 'publish') note('publish', channelKind(command.args?.[0]));
  return sendCommand.call(this, command, ...rest);
};
const redisEmit = Redis.prototype.emit;
Redis.prototype.emit = function (event, ...rest) {
  if (event === 'messageBuffer') note('sub-read', channelKind(rest[0]));
  return redisEmit.call(this, event, ...rest);
};
const pg = require('pg');
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const name = typeof config === 'object' ? config?.name : undefined;
  if (name?.startsWith('happychat-group-append') && typeof callback === 'function') {
    note('pg-query', name);
    return pgQuery.call(this, config, values, (...answer) => {
      note('pg-answer', name);
      return callback(...answer);
    });
  }
  return pgQuery.call(this, config, values, callback);
};
// Every write or writev system call on a socket, by peer: Redis, PostgreSQL, or a client's WebSocket. `_writev` calls
// `_writeGeneric` itself: only the outer call is one system call.
const peerOf = (socket) => (socket.remotePort === redisPort ? 'redis' : socket.remotePort === pgPort ? 'pg' : 'ws');
let writing = false;
for (const method of ['_writeGeneric', '_writev']) {
  const original = net.Socket.prototype[method];
  if (!original) continue;
  net.Socket.prototype[method] = function (...args) {
    if (writing) return original.apply(this, args);
    writing = true;
    try {
      return timedWrite(this, original, args);
    } finally {
      writing = false;
    }
  };
}
function timedWrite(socket, original, args) {
  const peer = peerOf(socket);
  note('write', peer);
  const started = now();
  const result = original.apply(socket, args);
  // How long the system call held this thread (on a loaded machine, waking the reader can cost the CPU).
  note('write-took', `${now() - started} ${peer}`);
  return result;
}
// Reads: one per 'data' chunk a socket hands up.
const socketEmit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (event, ...rest) {
  if (event === 'data') note('read', peerOf(this));
  return socketEmit.call(this, event, ...rest);
};
const originalImmediate = globalThis.setImmediate;
globalThis.setImmediate = (fn, ...args) => {
  // Named by the callback (a stack trace, source-mapped under tsx, would cost more than most waits it measures).
  const site = fn.name || String(fn).slice(0, 60).replace(/\s+/g, ' ');
  note('queued', site);
  const scheduled = now();
  return originalImmediate(
    (...a) => {
      note('immediate', `${now() - scheduled} ${site}`);
      return fn(...a);
    },
    ...args,
  );
};
const flush = () => {
  if (events.length === 0) return;
  appendFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  events = [];
};
setInterval(flush, 300).unref();
process.on('exit', flush);
