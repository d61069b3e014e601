import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASE_STATES } from '../../../shared/case-workflow.ts';
import { coreStatusOf, EXTENDED_STATUS_OF_STATE, updateStatusOf } from './open311-status.ts';

const DOC = readFileSync(join(import.meta.dirname, '../../../../docs/open311.md'), 'utf8');

describe('Open311 status mapping', () => {
  it('is the table in docs/open311.md, state by state', () => {
    const rows = new Map(
      [...DOC.matchAll(/^\| (\w+) \| (open|closed) \| (\w+) \|$/gm)].map((m) => [m[1], [m[2], m[3]]]),
    );
    expect([...rows.keys()].sort()).toEqual([...CASE_STATES].sort());
    for (const state of CASE_STATES) {
      expect(rows.get(state)).toEqual([coreStatusOf(state), EXTENDED_STATUS_OF_STATE[state]]);
    }
  });

  it('reads a return as an internal referral and a rejection by its reason', () => {
    expect(updateStatusOf({ action: 'return', toState: 'registered', rejectReason: null })).toBe(
      'internal_referral',
    );
    expect(updateStatusOf({ action: 'reject', toState: 'rejected', rejectReason: 'notOurs' })).toBe(
      'not_councils_responsibility',
    );
    expect(updateStatusOf({ action: 'reject', toState: 'merged', rejectReason: 'duplicate' })).toBe(
      'duplicate',
    );
    expect(updateStatusOf({ action: 'reject', toState: 'rejected', rejectReason: 'invalid' })).toBe(
      'no_further_action',
    );
    expect(updateStatusOf({ action: 'verifyPass', toState: 'closed', rejectReason: null })).toBe('fixed');
  });
});
