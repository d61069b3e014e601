import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ActionInputs,
  actionRoles,
  allowedActions,
  CASE_ACTION_LABELS,
  CASE_ACTIONS,
  CASE_STATE_LABELS,
  CASE_STATES,
  CASE_TRANSITIONS,
  type CaseAction,
  type CaseSnapshot,
  type CaseState,
  stepOf,
  TERMINAL_STATES,
  type TransitionResult,
  transition,
  WorkflowError,
} from './case-workflow.ts';
import { ROLES } from './roles.ts';

function aCase(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 1,
    state: 'reported',
    source: 'gridWorker',
    onTheSpotAllowed: false,
    supervised: false,
    satisfaction: null,
    returnCount: 0,
    reworkCount: 0,
    extensionCount: 0,
    ...overrides,
  };
}

/** What the case service would write back after a transition. */
function applied(snapshot: CaseSnapshot, result: TransitionResult): CaseSnapshot {
  return {
    ...snapshot,
    ...result.effects.counters,
    state: result.state,
    supervised: result.effects.supervised ?? snapshot.supervised,
    satisfaction: result.effects.satisfaction ?? snapshot.satisfaction,
  };
}

/** A step of a path: the action, its input and the state it must lead to. */
type PathStep = { [A in CaseAction]: [A, ActionInputs[A], CaseState] }[CaseAction];

function walk(
  start: CaseSnapshot,
  path: PathStep[],
): { snapshot: CaseSnapshot; results: TransitionResult[] } {
  let snapshot = start;
  const results: TransitionResult[] = [];
  for (const [action, input, expected] of path) {
    const result = transition(snapshot, action, input as never);
    expect(result.state, action).toBe(expected);
    results.push(result);
    snapshot = applied(snapshot, result);
  }
  return { snapshot, results };
}

function refusal(run: () => unknown): WorkflowError {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkflowError) return error;
    throw error;
  }
  throw new Error('expected the action to be refused');
}

const toRegistered: PathStep[] = [['register', {}, 'registered']];
const toAccepted: PathStep[] = [
  ...toRegistered,
  ['dispatch', { leadDepartmentId: 10, assistingDepartmentIds: [11] }, 'dispatched'],
  ['accept', {}, 'accepted'],
];
const finishing: PathStep = ['finish', { note: '已清理', evidence: ['photo-after'] }, 'handled'];

describe('legal paths', () => {
  it('runs the whole loop: register, dispatch, accept, finish, verify, rate', () => {
    const { snapshot, results } = walk(aCase({ source: 'resident' }), [
      ...toAccepted,
      finishing,
      ['verifyPass', { note: '现场已整改' }, 'closed'],
      ['rate', { score: 5, comment: '很及时' }, 'closed'],
    ]);
    expect(results.map((r) => r.effects.clock)).toEqual([
      { kind: 'start', step: 'dispatch' },
      { kind: 'start', step: 'handle' },
      { kind: 'keep' },
      { kind: 'start', step: 'verify' },
      { kind: 'stop' },
      { kind: 'keep' },
    ]);
    expect(results[1]?.effects.departments).toEqual({
      kind: 'assign',
      leadDepartmentId: 10,
      assistingDepartmentIds: [11],
    });
    expect(snapshot).toMatchObject({ state: 'closed', satisfaction: 5, returnCount: 0, reworkCount: 0 });
  });

  it('returns a case to the dispatcher, counts it and lets it be dispatched again', () => {
    const { snapshot, results } = walk(aCase(), [
      ...toRegistered,
      ['dispatch', { leadDepartmentId: 10 }, 'dispatched'],
      ['return', { reason: '不属于本部门职责' }, 'registered'],
      ['dispatch', { leadDepartmentId: 12 }, 'dispatched'],
      ['accept', {}, 'accepted'],
      ['return', { reason: '需由住建部门牵头' }, 'registered'],
    ]);
    expect(results[2]?.effects).toMatchObject({
      clock: { kind: 'start', step: 'dispatch' },
      departments: { kind: 'clear' },
      counters: { returnCount: 1 },
    });
    expect(snapshot.returnCount).toBe(2);
  });

  it('lets the dispatcher recall a task or reassign it, with a reason, without counting a return', () => {
    const { snapshot, results } = walk(aCase(), [
      ...toRegistered,
      ['dispatch', { leadDepartmentId: 10 }, 'dispatched'],
      ['reassign', { leadDepartmentId: 12, reason: '应由市政部门处置' }, 'dispatched'],
      ['accept', {}, 'accepted'],
      ['recall', { reason: '需先核实地点' }, 'registered'],
    ]);
    expect(results[2]?.effects).toMatchObject({
      clock: { kind: 'start', step: 'handle' },
      departments: { kind: 'assign', leadDepartmentId: 12 },
    });
    expect(results[4]?.effects).toMatchObject({
      clock: { kind: 'start', step: 'dispatch' },
      departments: { kind: 'clear' },
    });
    expect(snapshot.returnCount).toBe(0);
    expect(() => transition({ ...aCase(), state: 'dispatched' }, 'recall', { reason: ' ' })).toThrow(
      WorkflowError,
    );
    expect(allowedActions('dispatched', { role: 'departmentHandler' })).not.toContain('reassign');
  });

  it('moves the deadline by the granted extension and counts it', () => {
    const { snapshot, results } = walk(aCase(), [
      ...toAccepted,
      [
        'requestExtension',
        { extension: { amount: 3, unit: 'workingDays' }, reason: '需采购配件' },
        'extensionRequested',
      ],
      ['approveExtension', { extension: { amount: 2, unit: 'workingDays' } }, 'accepted'],
    ]);
    expect(results[3]?.effects.clock).toEqual({ kind: 'keep' });
    expect(results[4]?.effects.clock).toEqual({ kind: 'extend', by: { amount: 2, unit: 'workingDays' } });
    expect(snapshot.extensionCount).toBe(1);
  });

  it('keeps the deadline when an extension is refused', () => {
    const { snapshot, results } = walk(aCase(), [
      ...toAccepted,
      [
        'requestExtension',
        { extension: { amount: 1, unit: 'workingDays' }, reason: '人手不足' },
        'extensionRequested',
      ],
      ['refuseExtension', { reason: '可协调其他人员' }, 'accepted'],
    ]);
    expect(results[4]?.effects.clock).toEqual({ kind: 'keep' });
    expect(snapshot.extensionCount).toBe(0);
  });

  it('stops the clock while suspended and restarts it on resumption', () => {
    const { results } = walk(aCase(), [
      ...toAccepted,
      ['suspend', { reason: '等待法院判决' }, 'suspended'],
      ['resume', {}, 'accepted'],
      finishing,
    ]);
    expect(results.slice(3, 5).map((r) => r.effects.clock)).toEqual([{ kind: 'pause' }, { kind: 'resume' }]);
  });

  it('sends a failed verification back to the department as counted rework, then closes it', () => {
    const { snapshot, results } = walk(aCase(), [
      ...toAccepted,
      finishing,
      ['verifyFail', { reason: '垃圾仍未清运' }, 'accepted'],
      finishing,
      ['verifyPass', {}, 'closed'],
    ]);
    expect(results[4]?.effects.clock).toEqual({ kind: 'start', step: 'handle' });
    expect(snapshot).toMatchObject({ state: 'closed', reworkCount: 1 });
  });

  it('rejects a duplicate by merging it into the original, and other cases with their reason', () => {
    expect(transition(aCase({ id: 7 }), 'reject', { reason: 'duplicate', originalCaseId: 3 })).toEqual({
      state: 'merged',
      effects: {
        clock: { kind: 'stop' },
        counters: { returnCount: 0, reworkCount: 0, extensionCount: 0 },
        rejectReason: 'duplicate',
        mergedInto: 3,
      },
    });
    expect(transition(aCase(), 'reject', { reason: 'invalid' })).toMatchObject({
      state: 'rejected',
      effects: { rejectReason: 'invalid' },
    });
    expect(
      transition(aCase(), 'reject', { reason: 'notOurs', note: '属铁路部门管理' }).effects.rejectReason,
    ).toBe('notOurs');
  });

  it('lets a grid worker close a case on the spot where the category allows it', () => {
    const result = transition(aCase({ onTheSpotAllowed: true }), 'handleOnTheSpot', {
      beforePhotos: ['before'],
      afterPhotos: ['after'],
    });
    expect(result).toMatchObject({ state: 'closed', effects: { clock: { kind: 'stop' } } });
  });

  it('summons assisting departments by whistle without changing state or clock', () => {
    for (const state of ['registered', 'dispatched', 'accepted'] as const) {
      expect(transition(aCase({ state }), 'whistle', { departmentIds: [20, 21] })).toMatchObject({
        state,
        effects: { clock: { kind: 'keep' }, departments: { kind: 'addAssisting', departmentIds: [20, 21] } },
      });
    }
  });

  it('lets a leader supervise any open case, once', () => {
    for (const state of CASE_STATES.filter((s) => !TERMINAL_STATES.includes(s))) {
      const result = transition(aCase({ state }), 'supervise', {});
      expect(result).toMatchObject({ state, effects: { supervised: true, clock: { kind: 'keep' } } });
    }
    expect(refusal(() => transition(aCase({ supervised: true }), 'supervise', {})).details).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      allowed: ['register', 'reject'],
    });
  });
});

describe('conditions on actions', () => {
  it('allows 即办 only where the category allows it and a grid worker reported', () => {
    const photos = { beforePhotos: ['b'], afterPhotos: ['a'] };
    expect(refusal(() => transition(aCase(), 'handleOnTheSpot', photos)).code).toBe('ILLEGAL_TRANSITION');
    const byResident = aCase({ onTheSpotAllowed: true, source: 'resident' });
    expect(refusal(() => transition(byResident, 'handleOnTheSpot', photos)).code).toBe('ILLEGAL_TRANSITION');
  });

  it('lets only cases reported by residents be rated, once', () => {
    const closed = { state: 'closed' as const };
    expect(
      transition(aCase({ ...closed, source: 'hotline' }), 'rate', { score: 3 }).effects.satisfaction,
    ).toBe(3);
    expect(
      refusal(() => transition(aCase({ ...closed, source: 'gridWorker' }), 'rate', { score: 3 })).code,
    ).toBe('ILLEGAL_TRANSITION');
    const rated = aCase({ ...closed, source: 'resident', satisfaction: 4 });
    expect(refusal(() => transition(rated, 'rate', { score: 5 })).code).toBe('ILLEGAL_TRANSITION');
  });

  it('holds a case in mediation to the actions that leave its state as it is, and says why', () => {
    expect(allowedActions('accepted', { mediating: true })).toEqual(['whistle', 'supervise']);
    expect(allowedActions('accepted', { mediating: true, role: 'departmentHandler' })).toEqual([]);
    const held = aCase({ state: 'accepted', mediating: true });
    const refused = refusal(() => transition(held, 'finish', { note: '已调解', evidence: ['p'] }));
    expect(refused.details).toMatchObject({ code: 'ILLEGAL_TRANSITION', mediating: true });
    expect(refused.messageIn('zh-CN')).toBe(
      '案件正在人民调解中，处置随调解进行，不能执行「办结」：调解结束（达成协议或调解不成）时案件自动办结。可执行：吹哨、督办',
    );
    // An action the state does not admit anyway is refused for the state, as before.
    expect(refusal(() => transition(held, 'register', {})).details).not.toHaveProperty('mediating');
    expect(transition(held, 'whistle', { departmentIds: [3] }).state).toBe('accepted');
  });

  it('refuses input that lacks what the action needs', () => {
    const invalid = (run: () => unknown) => refusal(run).code;
    const accepted = aCase({ state: 'accepted' });
    expect(
      invalid(() => transition(aCase({ id: 3 }), 'reject', { reason: 'duplicate', originalCaseId: 3 })),
    ).toBe('INVALID_INPUT');
    const registered = aCase({ state: 'registered' });
    expect(
      invalid(() =>
        transition(registered, 'dispatch', { leadDepartmentId: 10, assistingDepartmentIds: [10] }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      invalid(() =>
        transition(registered, 'dispatch', { leadDepartmentId: 10, assistingDepartmentIds: [11, 11] }),
      ),
    ).toBe('INVALID_INPUT');
    expect(invalid(() => transition(registered, 'whistle', { departmentIds: [] }))).toBe('INVALID_INPUT');
    expect(invalid(() => transition(accepted, 'return', { reason: '  ' }))).toBe('INVALID_INPUT');
    expect(invalid(() => transition(accepted, 'suspend', { reason: '' }))).toBe('INVALID_INPUT');
    expect(
      invalid(() =>
        transition(accepted, 'requestExtension', {
          extension: { amount: 0, unit: 'workingDays' },
          reason: '忙',
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(invalid(() => transition(accepted, 'finish', { note: '已处理', evidence: [] }))).toBe(
      'INVALID_INPUT',
    );
    expect(invalid(() => transition(aCase({ state: 'handled' }), 'verifyFail', { reason: '' }))).toBe(
      'INVALID_INPUT',
    );
    const onTheSpot = aCase({ onTheSpotAllowed: true });
    expect(
      invalid(() => transition(onTheSpot, 'handleOnTheSpot', { beforePhotos: ['b'], afterPhotos: [] })),
    ).toBe('INVALID_INPUT');
    const closed = aCase({ state: 'closed', source: 'resident' });
    for (const score of [0, 6, 3.5]) {
      expect(invalid(() => transition(closed, 'rate', { score }))).toBe('INVALID_INPUT');
    }
  });

  it('says what is missing in both languages', () => {
    const error = refusal(() =>
      transition(aCase({ state: 'accepted' }), 'finish', { note: '已处理', evidence: [] }),
    );
    expect(error.messageIn('zh-CN')).toBe('无法办结：请上传处置后的照片或材料');
    expect(error.messageIn('en-US')).toBe('Cannot mark handled: attach a photo or document of the result');
  });
});

describe('illegal transitions', () => {
  it('name the current state and the allowed actions, in Chinese and English', () => {
    const error = refusal(() => transition(aCase({ onTheSpotAllowed: true }), 'verifyPass', {}));
    expect(error.details).toEqual({
      code: 'ILLEGAL_TRANSITION',
      state: 'reported',
      action: 'verifyPass',
      allowed: ['register', 'reject', 'handleOnTheSpot', 'supervise'],
    });
    expect(error.messageIn('zh-CN')).toBe(
      '当前状态为「已上报」，不能执行「核查通过」。可执行：立案、不予立案、即办、督办',
    );
    expect(error.messageIn('en-US')).toBe(
      'The case is "Reported": "Verification passed" is not possible. Possible: Register, Reject, Handle on the spot, Supervise.',
    );
    expect(error.message).toBe(error.messageIn('en-US'));
  });

  it('say so when nothing can be done any more', () => {
    const error = refusal(() => transition(aCase({ state: 'merged' }), 'dispatch', { leadDepartmentId: 1 }));
    expect(error.messageIn('zh-CN')).toBe('当前状态为「已合并」，不能执行「派遣」。该状态下没有可执行的操作');
    expect(error.messageIn('en-US')).toBe(
      'The case is "Merged (duplicate)": "Dispatch" is not possible. Nothing can be done in this state.',
    );
  });

  it('refuse every action outside its edges', () => {
    for (const state of CASE_STATES) {
      for (const action of CASE_ACTIONS) {
        if (CASE_TRANSITIONS.some((t) => t.from === state && t.action === action)) continue;
        const error = refusal(() => transition(aCase({ state }), action, {} as never));
        expect(error.details, `${state} ${action}`).toMatchObject({
          code: 'ILLEGAL_TRANSITION',
          state,
          action,
        });
      }
    }
  });
});

describe('the shape of the machine', () => {
  it('gives every state but the terminal ones a way out, and none to those', () => {
    for (const state of CASE_STATES) {
      const exits = CASE_TRANSITIONS.filter((t) => t.from === state && t.to !== state);
      expect(exits.length > 0, state).toBe(!TERMINAL_STATES.includes(state));
    }
  });

  it('reaches every state from reported', () => {
    const reached = new Set<CaseState>(['reported']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const { from, to } of CASE_TRANSITIONS) {
        if (reached.has(from) && !reached.has(to)) {
          reached.add(to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...CASE_STATES].sort());
  });

  it('uses every action, labels everything and lets administrators do everything', () => {
    for (const action of CASE_ACTIONS) {
      expect(
        CASE_TRANSITIONS.some((t) => t.action === action),
        action,
      ).toBe(true);
      expect(CASE_ACTION_LABELS[action].zh).not.toBe('');
      expect(actionRoles[action]).toContain('administrator');
      for (const role of actionRoles[action]) expect(ROLES).toContain(role);
    }
    for (const state of CASE_STATES) expect(CASE_STATE_LABELS[state].en).not.toBe('');
  });

  it('gives each state the step its due time belongs to', () => {
    expect(Object.fromEntries(CASE_STATES.map((s) => [s, stepOf(s)]))).toEqual({
      reported: 'register',
      registered: 'dispatch',
      dispatched: 'handle',
      accepted: 'handle',
      extensionRequested: 'handle',
      suspended: 'handle',
      handled: 'verify',
      closed: null,
      rejected: null,
      merged: null,
    });
  });
});

describe('allowedActions', () => {
  it('lists without context every action the state admits under some condition', () => {
    expect(allowedActions('reported')).toEqual(['register', 'reject', 'handleOnTheSpot', 'supervise']);
    expect(allowedActions('accepted')).toEqual([
      'recall',
      'reassign',
      'whistle',
      'return',
      'requestExtension',
      'suspend',
      'finish',
      'supervise',
    ]);
    expect(allowedActions('closed')).toEqual(['rate']);
    expect(allowedActions('rejected')).toEqual([]);
  });

  it('narrows to the case and to the role of the person asking', () => {
    expect(allowedActions('reported', { onTheSpotAllowed: false, supervised: true })).toEqual([
      'register',
      'reject',
    ]);
    expect(allowedActions('reported', { role: 'dispatcher' })).toEqual(['register', 'reject']);
    expect(allowedActions('reported', { role: 'gridWorker', onTheSpotAllowed: true })).toEqual([
      'handleOnTheSpot',
    ]);
    expect(allowedActions('accepted', { role: 'leader' })).toEqual(['supervise']);
    expect(allowedActions('handled', { role: 'inspector' })).toEqual(['verifyPass', 'verifyFail']);
    expect(allowedActions('closed', { source: 'gridWorker' })).toEqual([]);
  });
});

describe('docs/case-workflow.md', () => {
  const doc = readFileSync(new URL('../../docs/case-workflow.md', import.meta.url), 'utf8');
  const key = (t: { action: string; from: string; to: string }) => `${t.action}: ${t.from} → ${t.to}`;

  it('draws exactly the state-changing transitions of the code', () => {
    const drawn = [...doc.matchAll(/^\s*(\w+) --> (\w+) : (\w+)/gm)].map(
      ([, from = '', to = '', action = '']) => key({ action, from, to }),
    );
    const coded = CASE_TRANSITIONS.filter((t) => t.from !== t.to).map(key);
    expect(drawn.sort()).toEqual(coded.sort());
  });

  it('tables exactly the transitions and roles of the code', () => {
    // Cells may be padded to align the columns.
    const rows = [...doc.matchAll(/^\|\s*`(\w+)`\s*\|[^|]+\|([^|]+)\|([^|]+)\|/gm)].filter(([, action]) =>
      (CASE_ACTIONS as readonly string[]).includes(action ?? ''),
    );
    const tabled: string[] = [];
    for (const [, action = '', edges = '', who = ''] of rows) {
      for (const edge of edges.split(',')) {
        const [fromList = '', to = ''] = edge.split('→').map((part) => part.trim());
        for (const from of fromList.split('/').map((s) => s.trim())) {
          tabled.push(key({ action, from, to: to === 'unchanged' ? from : to }));
        }
      }
      const roles = [...who.matchAll(/`(\w+)`/g)].map(([, role]) => role);
      const coded = actionRoles[action as CaseAction].filter((role) => role !== 'administrator');
      expect(roles, action).toEqual(coded);
    }
    expect(rows.map(([, action]) => action)).toHaveLength(CASE_ACTIONS.length);
    expect(tabled.sort()).toEqual(CASE_TRANSITIONS.map(key).sort());
  });
});
