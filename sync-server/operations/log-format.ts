/**
 * The server's log lines: human-readable by default (what `npm start`
 * prints in a terminal), or one JSON object per line with `LOG_FORMAT=json`
 * (what a log collector reads): `{time, level, pid, msg, ...fields}`. The
 * process id tells apart the relays of a cluster writing to one journal.
 * Info goes to stdout, warnings and errors to stderr, in both formats.
 */
import type { Logger } from '../config.js';

export type LogFormat = 'text' | 'json';

/** `LOG_FORMAT`: `text` (default) or `json`; anything else is a mistake worth stopping for. */
export function logFormatFromEnv(env: NodeJS.ProcessEnv): LogFormat {
  const value = env.LOG_FORMAT || 'text';
  if (value !== 'text' && value !== 'json') throw new Error(`LOG_FORMAT must be "text" or "json", got "${value}"`);
  return value;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** Where lines go: stdout for info, stderr for the rest (tests pass their own). */
export interface LogSink {
  write(level: LogLevel, line: string): void;
}

export const processSink: LogSink = {
  write: (level, line) => (level === 'info' ? process.stdout : process.stderr).write(line),
};

/** Keys every line has; a field of the same name does not replace them. */
const OWN_KEYS = new Set(['time', 'level', 'pid', 'msg']);

/** One JSON object per line: `{time, level, pid, msg, ...fields}`. */
export function jsonLogger(sink: LogSink = processSink, now: () => Date = () => new Date()): Logger {
  const line = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    const entry: Record<string, unknown> = { time: now().toISOString(), level, pid: process.pid, msg };
    for (const [key, value] of Object.entries(fields ?? {})) if (!OWN_KEYS.has(key)) entry[key] = value;
    sink.write(level, `${stringify(entry)}\n`);
  };
  return {
    info: (message, context) => line('info', message, context),
    warn: (message, context) => line('warn', message, context),
    error: (message, context) => line('error', message, context),
  };
}

/** JSON that never throws: errors as their message and stack, big integers as text, a cycle as a note. */
function stringify(entry: Record<string, unknown>): string {
  const replacer = (_key: string, value: unknown): unknown => {
    if (value instanceof Error) return { message: value.message, stack: value.stack };
    if (typeof value === 'bigint') return value.toString();
    return value;
  };
  try {
    return JSON.stringify(entry, replacer);
  } catch (error) {
    const { time, level, pid, msg } = entry;
    return JSON.stringify({ time, level, pid, msg, fields: `could not be written: ${String(error)}` });
  }
}
