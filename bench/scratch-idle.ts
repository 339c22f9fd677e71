import { idleCapacity } from './scenarios/idle-capacity.js';
const t = performance.now();
const r = await idleCapacity();
console.log(JSON.stringify(r, null, 1), (performance.now() - t) / 1000);
