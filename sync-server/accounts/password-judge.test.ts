import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { judgePassword } from '../../shared/password-strength.js';
import { PasswordJudge } from './password-judge.js';

const judges: PasswordJudge[] = [];
function judgeFor(idleMs?: number): PasswordJudge {
  const judge = new PasswordJudge(idleMs);
  judges.push(judge);
  return judge;
}

afterEach(async () => {
  await Promise.all(judges.splice(0).map((judge) => judge.close()));
});

describe('the password worker', () => {
  it('gives the verdicts the page gives (same zxcvbn, same dictionaries, same personal words)', async () => {
    const judge = judgeFor();
    const cases: Array<[string, string[]]> = [
      ['password1', []],
      ['qwertyuiop', []],
      ['12345678', []],
      ['correct horse battery staple', []],
      ['ada.lovelace1', ['Ada Lovelace', 'ada.lovelace@example.com']],
      ['lovelace1815', ['Ada Lovelace']],
      ['Tr0ub4dour&3', []],
      ['vK9#mz!27Lq$w', ['Bob']],
      ['sunshine', []],
      ['x'.repeat(300), []],
    ];
    const verdicts = await Promise.all(cases.map(([password, personal]) => judge.judge(password, personal)));
    expect(verdicts).toEqual(cases.map(([password, personal]) => judgePassword(password, personal)));
    // The cases cover both answers, so the comparison is not of refusals alone.
    expect(verdicts.some((verdict) => verdict.acceptable)).toBe(true);
    expect(verdicts.some((verdict) => !verdict.acceptable && verdict.warning !== '')).toBe(true);
  });

  it('refuses a short password without starting the worker', async () => {
    const judge = judgeFor();
    const verdict = await judge.judge('abc');
    expect(verdict).toEqual(judgePassword('abc'));
    expect(verdict.acceptable).toBe(false);
    expect(judge.running).toBe(false);
  });

  it('ends the worker once idle, and starts another for the next password', async () => {
    const judge = judgeFor(50);
    expect((await judge.judge('password1')).acceptable).toBe(false);
    expect(judge.running).toBe(true);
    await waitFor(() => !judge.running, 5_000);
    expect((await judge.judge('vK9#mz!27Lq$w')).acceptable).toBe(true);
    expect(judge.running).toBe(true);
  });

  it('fails what waits when closed, and judges again afterwards', async () => {
    const judge = judgeFor();
    const refused = expect(judge.judge('correct horse battery staple')).rejects.toThrow(/closed/);
    await judge.close();
    await refused;
    expect((await judge.judge('password1')).acceptable).toBe(false);
  });

  it('keeps a process alive while a verdict is awaited, and lets it end once answered', async () => {
    // A process whose only work is awaiting a verdict (the admin command) must get it; then the idle worker,
    // which stays a minute, must not hold the process open.
    const dir = await mkdtemp(path.join(tmpdir(), 'password-judge-'));
    try {
      const script = path.join(dir, 'judge-once.mts');
      const judgeModule = fileURLToPath(new URL('./password-judge.ts', import.meta.url));
      await writeFile(
        script,
        `import { PasswordJudge } from ${JSON.stringify(judgeModule)};\n` +
          `const verdict = await new PasswordJudge(60_000).judge('password1');\n` +
          `console.log(JSON.stringify({ acceptable: verdict.acceptable }));\n`,
      );
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 50_000 });
      expect(JSON.parse(stdout.trim())).toEqual({ acceptable: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
