/**
 * The rule names are the contract between the relay, the client and
 * docs/SECURITY.md: every rule a refusal can name has its row in the rules
 * table, and every name in that table is a rule, so neither side drifts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode } from './protocol.js';
import { REFUSAL_RULES, refusalClose, refusedRule } from './refusals.js';

const SECURITY_MD = new URL('../docs/SECURITY.md', import.meta.url);

/** The rule names in the first column of SECURITY.md's "The rules" table. */
function documentedRules(): Set<string> {
  const markdown = readFileSync(SECURITY_MD, 'utf8');
  const section = markdown.split(/^## /m).find((part) => part.startsWith('The rules\n'));
  if (section === undefined) throw new Error('docs/SECURITY.md has no "## The rules" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(2);
  const names = new Set<string>();
  for (const row of rows) {
    const firstCell = row.split(' | ')[0] ?? '';
    for (const match of firstCell.matchAll(/`([a-z][a-z0-9-]*)`/g)) names.add(match[1] ?? '');
  }
  return names;
}

describe('refusal rules', () => {
  it('are each documented in the rules table of docs/SECURITY.md, and the table names no other', () => {
    const documented = documentedRules();
    expect(documented.size).toBeGreaterThan(20);
    expect(
      [...REFUSAL_RULES].filter((rule) => !documented.has(rule)),
      'rules missing from the table',
    ).toEqual([]);
    expect(
      [...documented].filter((name) => !(REFUSAL_RULES as ReadonlySet<string>).has(name)),
      'table names that are no rule',
    ).toEqual([]);
  });

  it('close with 4400 "refused: <rule>", or the bare rule with 4413 for a budget and 4429 for a rate', () => {
    expect(refusalClose('forged-author')).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: forged-author' });
    expect(refusalClose('malformed-update')).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: malformed-update' });
    expect(refusalClose('write-quota')).toEqual({ code: CloseCode.quotaExceeded, reason: 'write-quota' });
    expect(refusalClose('conversation-full')).toEqual({ code: CloseCode.quotaExceeded, reason: 'conversation-full' });
    expect(refusalClose('presence-rate')).toEqual({ code: CloseCode.rateLimited, reason: 'presence-rate' });
  });

  it('are read back from a 4400 close reason, and nothing else is', () => {
    for (const rule of REFUSAL_RULES) {
      const { code, reason } = refusalClose(rule);
      if (code === CloseCode.invalidUpdate) expect(refusedRule(reason)).toBe(rule);
    }
    expect(refusedRule('refused: author')).toBeNull();
    expect(refusedRule('write-quota')).toBeNull();
    expect(refusedRule('malformed frame')).toBeNull();
  });
});
