import { RelayProcess } from './servers/relay-process.js';
import { roomSourceFor } from './load/rooms.js';
import { openClients } from './load/traffic.js';
for (const kind of ['reference', 'happy-chat'] as const) {
  let t = performance.now();
  const lap = (what: string) => { const n = performance.now(); console.log(kind, what, Math.round(n - t)); t = n; };
  const relay = await RelayProcess.start(kind); lap('start');
  const rooms = await roomSourceFor(relay).rooms(1000); lap('1000 rooms');
  await relay.restart(); lap('restart');
  await relay.rssAfterGc(); lap('gc');
  const a = await openClients(rooms.slice(0, 10), 100); lap('open 1000');
  const b = await openClients(rooms.slice(0, 10), 400, { startIndex: 100 }); lap('open 4000');
  await relay.rssAfterGc(); lap('gc');
  for (const c of [...a.flat(), ...b.flat()]) c.close(); lap('close');
  await relay.stop(); lap('stop');
}
