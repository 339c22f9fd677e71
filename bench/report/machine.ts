/** The machine a run was measured on, printed first and kept in the JSON. */
import os from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: other work on the machine skews latency tails. */
  loadAverage: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

export function formatMachine(machine: Machine): string {
  const line = `Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform}`;
  const busy = machine.loadAverage > machine.cores / 2;
  return `${line}\nLoad average (1 min) at start: ${machine.loadAverage}${busy ? ' — the machine is busy: expect noisy tails (p95 and up)' : ''}`;
}

/** The 1-minute load average now, for the end of the run. */
export function loadAverageNow(): number {
  return Math.round(os.loadavg()[0] * 100) / 100;
}
