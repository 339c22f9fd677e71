// A preload for cluster-costs.ts in every relay: statements sent by text, ioredis commands by connection, WebSocket sends.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const counts = { statements: {}, redis: {}, wsSends: 0, wsSendBytes: 0 };
const pg = require('pg');
const origQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  let text = typeof config === 'string' ? config : (config?.name ? `[${config.name}] ` : '') + (config?.text ?? '?');
  text = text.replace(/\s+/g, ' ').slice(0, 90);
  counts.statements[text] = (counts.statements[text] ?? 0) + 1;
  return origQuery.call(this, config, ...rest);
};
const Redis = require('ioredis');
const origSend = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, ...rest) {
  const name = `${this.options?.connectionName ?? '?'}:${command?.name}`.replace(/:\d+:\d+/, '');
  counts.redis[name] = (counts.redis[name] ?? 0) + 1;
  return origSend.call(this, command, ...rest);
};
const WS = require('ws');
const origWsSend = WS.prototype.send;
WS.prototype.send = function (data, ...rest) {
  counts.wsSends++;
  counts.wsSendBytes += data?.length ?? 0;
  return origWsSend.call(this, data, ...rest);
};
mkdirSync(process.env.CLUSTER_COSTS_DIR, { recursive: true });
setInterval(() => writeFileSync(`${process.env.CLUSTER_COSTS_DIR}/${process.pid}.json`, JSON.stringify(counts)), 200).unref();
// SIGUSR2 starts V8's CPU profiler, the next one writes the profile beside the counts (cluster-costs.ts --profile).
import { Session } from 'node:inspector';
let profiling = null;
process.on('SIGUSR2', () => {
  if (!profiling) {
    profiling = new Session();
    profiling.connect();
    profiling.post('Profiler.enable', () => profiling.post('Profiler.start'));
    return;
  }
  const session = profiling;
  profiling = null;
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(`${process.env.CLUSTER_COSTS_DIR}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    session.disconnect();
  });
});
