/**
 * The log's formats: JSON lines that parse and carry the process id, level,
 * time and fields (LOG_FORMAT=json, also from a real server process), and
 * the human-readable default.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { consoleLogger, loadConfig } from '../config.js';
import { freePort } from '../testing/child-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { jsonLogger, type LogLevel } from './log-format.js';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

function capture(): { lines: Array<{ level: LogLevel; line: string }>; logger: ReturnType<typeof jsonLogger> } {
  const lines: Array<{ level: LogLevel; line: string }> = [];
  const logger = jsonLogger({ write: (level, line) => lines.push({ level, line }) }, () => new Date('2026-12-06T07:00:00.000Z'));
  return { lines, logger };
}

it('writes one JSON object per line: time, level, pid, msg, then the fields', () => {
  const { lines, logger } = capture();
  logger.info('listening', { url: 'http://127.0.0.1:8080' });
  logger.warn('refused an update', { doc: 'conv/x', rule: 'forged-author' });
  logger.error('storing failed', { error: new Error('disk full'), clock: 10n });
  expect(lines.map((l) => l.level)).toEqual(['info', 'warn', 'error']);
  for (const { line } of lines) expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
  const [info, warn, error] = lines.map(({ line }) => JSON.parse(line));
  expect(info).toEqual({
    time: '2026-12-06T07:00:00.000Z',
    level: 'info',
    pid: process.pid,
    msg: 'listening',
    url: 'http://127.0.0.1:8080',
  });
  expect(Object.keys(info).slice(0, 4)).toEqual(['time', 'level', 'pid', 'msg']);
  expect(warn).toMatchObject({ level: 'warn', pid: process.pid, msg: 'refused an update', rule: 'forged-author' });
  expect(error.error.message).toBe('disk full');
  expect(error.clock).toBe('10');
});

it('keeps its own keys when a field has the same name, and writes a line even for fields that cannot be JSON', () => {
  const { lines, logger } = capture();
  logger.info('a message', { pid: 1, msg: 'not this', level: 'error', time: 'never', kept: true });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  logger.warn('odd fields', { cyclic });
  const [first, second] = lines.map(({ line }) => JSON.parse(line));
  expect(first).toMatchObject({ pid: process.pid, msg: 'a message', level: 'info', time: '2026-12-06T07:00:00.000Z', kept: true });
  expect(second).toMatchObject({ level: 'warn', pid: process.pid, msg: 'odd fields' });
  expect(second.fields).toMatch(/could not be written/);
});

it('is human-readable unless LOG_FORMAT=json, and refuses another format', () => {
  expect(loadConfig({}).log).toBe(consoleLogger);
  expect(loadConfig({ LOG_FORMAT: 'text' }).log).toBe(consoleLogger);
  expect(loadConfig({ LOG_FORMAT: 'json' }).log).not.toBe(consoleLogger);
  expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
});

it('a server started with LOG_FORMAT=json writes JSON lines with its own process id', async () => {
  const dataDir = await makeTempDir();
  dirs.push(dataDir);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, LOG_FORMAT: 'json', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, STORE_CHECK_AT_START: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const lines = readline.createInterface({ input: child.stdout });
    const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not say it was listening within 20 s')), 20_000);
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (String(entry.msg).startsWith('listening on')) {
          clearTimeout(timer);
          resolve(entry);
        }
      });
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    });
    expect(listening).toMatchObject({ level: 'info', pid: child.pid, url: `http://127.0.0.1:${port}` });
    expect(Number.isNaN(Date.parse(String(listening.time)))).toBe(false);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
