import { describe, expect, it } from 'vitest';
import type { CaseDetail, CaseSummary } from '../../../shared/cases.ts';
import type { RecordVisitInput, VisitDetail } from '../../../shared/visits.ts';
import { ApiError } from '../../api/client.ts';
import { newClientKey } from '../../api/client-key.ts';
import type { ReportCaseInput } from '../cases/api.ts';
import { createOutbox, type OutboxItem, type OutboxStore, type Transport } from './outbox.ts';

function memoryStore(initial: OutboxItem[] = []): OutboxStore & { map: Map<string, OutboxItem> } {
  const map = new Map(initial.map((item) => [item.id, item]));
  return {
    map,
    all: async () => [...map.values()],
    put: async (item) => {
      map.set(item.id, structuredClone(item));
    },
    remove: async (id) => {
      map.delete(id);
    },
  };
}

const refused = (status: number, code: ApiError['code'], message: string) =>
  new ApiError({ status, code, message });
const offline = () => new ApiError({ status: 0, code: 'NETWORK', message: '无法连接服务器' });

/**
 * A server as the outbox sees it: reports idempotent by clientKey, actions checked against the case version,
 * and a switch that makes every call fail as if the signal were gone.
 */
function fakeServer() {
  const cases = new Map<string, CaseSummary & { evidence: string[] }>();
  const uploads: string[] = [];
  const details = new Map<number, CaseDetail>();
  /** Visits by clientKey, with what was sent; a failed answer becomes a case in state "reported". */
  const visits = new Map<string, { input: RecordVisitInput; detail: VisitDetail }>();
  /** Rectification cases awaiting re-inspection, by id: "handled" until re-inspected. */
  const rectifications = new Map<number, string>();
  let down = false;
  let next: Error | null = null;
  const check = () => {
    if (down) throw offline();
    if (next) {
      const error = next;
      next = null;
      throw error;
    }
  };
  const transport: Transport = {
    upload: async (photo) => {
      check();
      const id = (await photo.text()).padEnd(64, '0');
      uploads.push(id);
      return { id };
    },
    report: async (input: ReportCaseInput) => {
      check();
      const key = input.clientKey ?? '';
      const existing = cases.get(key);
      if (existing) return existing;
      const created = {
        id: cases.size + 1,
        caseNumber: `C${cases.size + 1}`,
        description: input.description,
        evidence: input.evidence ?? [],
      } as CaseSummary & { evidence: string[] };
      cases.set(key, created);
      return created;
    },
    act: async (caseId, action, body) => {
      check();
      const detail = details.get(caseId);
      if (!detail) throw refused(404, 'NOT_FOUND', '案卷不存在');
      if (detail.version !== body.version) throw refused(409, 'CONFLICT', '案卷已被他人更新');
      const note = (body.note ?? body.reason ?? null) as string | null;
      detail.version += 1;
      detail.events.push({
        id: detail.events.length + 1,
        action,
        fromState: detail.state,
        toState: action === 'verifyPass' ? 'closed' : 'accepted',
        actorName: '河清网格员',
        note,
        data: body.evidence ? { evidence: body.evidence } : {},
        at: new Date().toISOString(),
      });
      detail.state = action === 'verifyPass' ? 'closed' : 'accepted';
      return detail;
    },
    getCase: async (caseId) => {
      check();
      const detail = details.get(caseId);
      if (!detail) throw refused(404, 'NOT_FOUND', '案卷不存在');
      return detail;
    },
    recordVisit: async (campaignId, input) => {
      check();
      const key = input.clientKey ?? '';
      const existing = visits.get(key);
      if (existing) return existing.detail;
      const number = visits.size + 1;
      const detail = {
        id: number,
        campaignId,
        noticeNumber: `JC-2026-00000${number}`,
        rate: 72.22,
        rawRate: 72.22,
        vetoedBy: null,
        answers: input.answers.map((answer, index) => ({
          itemKey: answer.itemKey,
          question: `问题 ${answer.itemKey}`,
          case:
            answer.outcome === 'fail'
              ? {
                  id: 100 + index,
                  caseNumber: `R${number}-${index}`,
                  state: 'reported',
                  dueAt: null,
                  reworkCount: 0,
                }
              : null,
        })),
        reinspections: [],
      } as unknown as VisitDetail;
      visits.set(key, { input, detail });
      return detail;
    },
    reinspect: async (visitId, itemKey, input) => {
      check();
      const visit = [...visits.values()].find((v) => v.detail.id === visitId);
      const answer = visit?.detail.answers.find((a) => a.itemKey === itemKey);
      if (!visit || !answer?.case) throw refused(404, 'NOT_FOUND', '检查项不存在');
      if (rectifications.get(answer.case.id) !== 'handled')
        throw refused(409, 'ILLEGAL_TRANSITION', '整改案件尚未办结待核查，不能复查。');
      rectifications.set(answer.case.id, input.outcome === 'pass' ? 'closed' : 'accepted');
      visit.detail.reinspections.push({
        id: visit.detail.reinspections.length + 1,
        itemKey,
        caseId: answer.case.id,
        inspectorName: '文明办督查员',
        outcome: input.outcome,
        note: input.note,
        evidence: input.evidence,
        at: new Date().toISOString(),
      });
      return visit.detail;
    },
    getVisit: async (visitId) => {
      check();
      const visit = [...visits.values()].find((v) => v.detail.id === visitId);
      if (!visit) throw refused(404, 'NOT_FOUND', '检查记录不存在');
      return visit.detail;
    },
    // Checkpoint entries are tested on a phone-sized page, offline and back (e2e/checkpoints.e2e.ts).
    logCheckpointEntries: async () => {
      throw refused(404, 'NOT_FOUND', '卡点不存在');
    },
    // Household visits go the same way as reports (one request, replayed by clientKey).
    recordHouseholdVisit: async () => {
      throw refused(404, 'NOT_FOUND', '走访活动不存在');
    },
  };
  return {
    transport,
    cases,
    uploads,
    details,
    visits,
    rectifications,
    setDown: (value: boolean) => {
      down = value;
    },
    failNextWith: (error: Error) => {
      next = error;
    },
    /** The answer to the next visit is lost on the way back, after the server recorded it. */
    loseNextVisitAnswer: () => {
      const original = transport.recordVisit;
      transport.recordVisit = async (campaignId, input) => {
        transport.recordVisit = original;
        await original(campaignId, input);
        throw offline();
      };
    },
    /** The answer to the next re-inspection is lost, after the server took it. */
    loseNextReinspectAnswer: () => {
      const original = transport.reinspect;
      transport.reinspect = async (visitId, itemKey, input) => {
        transport.reinspect = original;
        await original(visitId, itemKey, input);
        throw offline();
      };
    },
    /** The answer to the next report is lost on the way back, after the server created the case. */
    loseNextReportAnswer: () => {
      const original = transport.report;
      transport.report = async (input) => {
        transport.report = original;
        await original(input);
        throw offline();
      };
    },
  };
}

const REPORT = {
  input: { categoryId: 7, description: '河清路口暴露垃圾', lon: 112.945, lat: 22.85 },
  label: '暴露垃圾',
};

function setup(initial: OutboxItem[] = []) {
  const server = fakeServer();
  const store = memoryStore(initial);
  let online = true;
  let clock = new Date('2026-10-12T09:00:00+08:00');
  let ids = 0;
  const outbox = createOutbox(store, server.transport, {
    isOnline: () => online,
    now: () => clock,
    newId: () => `key-${++ids}`,
  });
  return {
    server,
    store,
    outbox,
    setOnline: (value: boolean) => {
      online = value;
      server.setDown(!value);
    },
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

const only = (outbox: ReturnType<typeof setup>['outbox']) => {
  const [item, ...rest] = outbox.items();
  expect(rest).toEqual([]);
  if (!item) throw new Error('the outbox is empty');
  return item;
};

describe('field outbox', () => {
  it('keeps a report made offline with its photo, and sends it once when back online', async () => {
    const { outbox, server, store, setOnline } = setup();
    setOnline(false);
    await outbox.addReport(1, { ...REPORT, photos: [new Blob(['a'], { type: 'image/jpeg' })] });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'pending', id: 'key-1', attempts: 0 });
    expect(store.map.get('key-1')?.photos).toHaveLength(1);

    setOnline(true);
    await outbox.flush(1);
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'sent', caseNumber: 'C1', photos: [] });
    expect([...server.cases.keys()]).toEqual(['key-1']);
    // The photo went up before the report, and the report names it.
    expect(server.cases.get('key-1')?.evidence).toEqual([server.uploads[0]]);
    expect(server.uploads).toHaveLength(1);
  });

  it('replays a report whose answer was lost with the same key, so the server keeps one case', async () => {
    const { outbox, server } = setup();
    server.loseNextReportAnswer();
    await outbox.addReport(1, { ...REPORT, photos: [new Blob(['b'])] });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'pending', error: '无法连接服务器', attempts: 1 });
    expect(server.cases.size).toBe(1);

    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'sent', caseNumber: 'C1', attempts: 2 });
    expect(server.cases.size).toBe(1);
    // The photo uploaded on the first try is not uploaded again.
    expect(server.uploads).toHaveLength(1);
  });

  it('shows a refusal with the server’s message and keeps it until the user fixes or discards it', async () => {
    const { outbox, server } = setup();
    server.failNextWith(refused(403, 'FORBIDDEN_SCOPE', '不能操作 英明社区：超出您的数据范围 河清社区'));
    await outbox.addReport(1, { ...REPORT, photos: [] });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({
      status: 'failed',
      error: '不能操作 英明社区：超出您的数据范围 河清社区',
    });
    await outbox.flush(1);
    expect(server.cases.size).toBe(0);

    await outbox.fixReport('key-1', {
      ...REPORT,
      input: { ...REPORT.input, lon: 112.94, lat: 22.851 },
      photos: [],
    });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'sent', id: 'key-1' });

    await outbox.addReport(1, { ...REPORT, photos: [] });
    server.failNextWith(refused(400, 'VALIDATION_FAILED', '请选择小类'));
    await outbox.flush(1);
    await outbox.discard('key-2');
    expect(outbox.items().map((item) => item.id)).toEqual(['key-1']);
  });

  it('keeps the field-by-field refusal of a report for the fix form, and sends the fixed extra fields', async () => {
    const { outbox, server } = setup();
    const sent: ReportCaseInput[] = [];
    const report = server.transport.report;
    server.transport.report = async (input) => {
      sent.push(input);
      return report(input);
    };
    server.failNextWith(
      new ApiError({
        status: 400,
        code: 'VALIDATION_FAILED',
        message: '「垃圾种类」为必填项',
        details: { issues: [{ path: ['attributes', 'kind'], message: '「垃圾种类」为必填项' }] },
      }),
    );
    await outbox.addReport(1, { ...REPORT, photos: [] });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({
      status: 'failed',
      issues: [{ path: 'attributes.kind', message: '「垃圾种类」为必填项' }],
    });

    await outbox.fixReport('key-1', {
      ...REPORT,
      input: { ...REPORT.input, attributes: { kind: 'construction' } },
      photos: [],
    });
    expect(only(outbox)).toMatchObject({ status: 'pending', issues: [] });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'sent', id: 'key-1' });
    expect(sent.at(-1)?.attributes).toEqual({ kind: 'construction' });
  });

  it('stops on an ended session and sends after the next login', async () => {
    const { outbox, server } = setup();
    await outbox.addReport(1, { ...REPORT, photos: [] });
    await outbox.addReport(1, { ...REPORT, photos: [] });
    server.failNextWith(refused(401, 'NOT_AUTHENTICATED', '请先登录'));
    await outbox.flush(1);
    expect(outbox.signedOut()).toBe(true);
    expect(outbox.items().map((item) => item.status)).toEqual(['pending', 'pending']);
    await outbox.flush(1);
    expect(outbox.signedOut()).toBe(false);
    expect(outbox.items().map((item) => item.status)).toEqual(['sent', 'sent']);
  });

  it('marks a verification of a case that moved on as a conflict and does not send it again', async () => {
    const { outbox, server } = setup();
    server.details.set(5, {
      id: 5,
      caseNumber: 'C5',
      state: 'handled',
      version: 8,
      events: [],
    } as unknown as CaseDetail);
    const verify = {
      caseId: 5,
      caseNumber: 'C5',
      action: 'verifyPass' as const,
      version: 7,
      body: { note: '现场已清理' },
      fromState: 'handled',
      eventsSeen: 0,
      actorName: '河清网格员',
      photos: [],
    };
    await outbox.addAction(1, verify);
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'conflict', error: '案卷已被他人更新' });
    await outbox.flush(1);
    expect(server.details.get(5)?.version).toBe(8);

    // Our own verification, applied before its answer was lost, is recognised in the timeline as sent.
    await outbox.discard('key-1');
    await outbox.addAction(1, { ...verify, version: 8 });
    await server.transport.act(5, 'verifyPass', { version: 8, note: '现场已清理' });
    await outbox.flush(1);
    expect(only(outbox)).toMatchObject({ status: 'sent', caseNumber: 'C5' });
  });

  it('sends only the signed-in user’s items, resumes items left sending, and forgets old sent ones', async () => {
    const sentLongAgo = {
      id: 'old',
      kind: 'report',
      owner: 1,
      createdAt: '2026-10-01T01:00:00.000Z',
      sentAt: '2026-10-01T01:00:05.000Z',
      status: 'sent',
    } as OutboxItem;
    const interrupted = {
      ...sentLongAgo,
      id: 'interrupted',
      createdAt: '2026-10-12T00:00:00.000Z',
      sentAt: null,
      status: 'sending',
      photos: [],
      uploaded: [],
      attempts: 1,
      input: REPORT.input,
    } as OutboxItem;
    const { outbox, server } = setup([sentLongAgo, interrupted]);
    await outbox.addReport(2, { ...REPORT, photos: [] });
    expect(outbox.items().map((item) => [item.id, item.status])).toEqual([
      ['interrupted', 'pending'],
      ['key-1', 'pending'],
    ]);
    await outbox.flush(1);
    expect([...server.cases.keys()]).toEqual(['interrupted']);
    expect(outbox.items().find((item) => item.id === 'key-1')?.status).toBe('pending');
  });

  it('makes v4 client keys without crypto.randomUUID, which plain-http pages on the LAN do not have', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const keys = new Set(Array.from({ length: 100 }, newClientKey));
      expect(keys.size).toBe(100);
      for (const key of keys)
        expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});

const photo = (text: string, type = 'image/jpeg') => new Blob([text], { type });

/** A visit of three items: 1.1 passes, 1.2 fails with two photos, 2.1 is N/A; signed. */
const VISIT = {
  campaignId: 5,
  campaignName: '文明城市实地测评',
  label: '九江农贸市场',
  input: {
    roundId: 9,
    targetId: 31,
    visitedAt: '2026-10-12T09:30:00+08:00',
    lon: 112.95,
    lat: 22.85,
    note: '',
    personInCharge: '陈经理',
    answers: [
      { itemKey: '1.1', outcome: 'pass' as const, value: null, note: '', evidence: [] },
      { itemKey: '1.2', outcome: 'fail' as const, value: null, note: '摊位越线', evidence: [] },
      { itemKey: '2.1', outcome: 'na' as const, value: null, note: '', evidence: [] },
    ],
  },
  photoCounts: [0, 2, 0],
  signed: true,
  photos: [photo('fail-1'), photo('fail-2'), photo('signature', 'image/png')],
};

describe('field outbox: inspection visits and re-inspections', () => {
  it('keeps a visit made offline and sends it once online: photos on their item, the signature apart', async () => {
    const { outbox, server, setOnline } = setup();
    setOnline(false);
    await outbox.addVisit(3, VISIT);
    await outbox.flush(3);
    expect(only(outbox)).toMatchObject({ kind: 'visit', status: 'pending', visit: null });

    setOnline(true);
    await outbox.flush(3);
    await outbox.flush(3);
    const sent = server.visits.get('key-1');
    expect(server.visits.size).toBe(1);
    expect(sent?.input.clientKey).toBe('key-1');
    const [first, second, signature] = server.uploads;
    expect(sent?.input.answers.map((a) => a.evidence)).toEqual([[], [first, second], []]);
    expect(sent?.input.signature).toBe(signature);
    expect(only(outbox)).toMatchObject({
      status: 'sent',
      photos: [],
      visit: {
        noticeNumber: 'JC-2026-000001',
        cases: [{ caseNumber: 'R1-1', itemKey: '1.2', question: '问题 1.2' }],
      },
    });
  });

  it('replays a visit whose answer was lost with the same key and uploads nothing twice', async () => {
    const { outbox, server } = setup();
    server.loseNextVisitAnswer();
    await outbox.addVisit(3, VISIT);
    await outbox.flush(3);
    expect(only(outbox)).toMatchObject({ status: 'pending', attempts: 1, visit: null });
    await outbox.flush(3);
    expect(only(outbox)).toMatchObject({ status: 'sent', visit: { noticeNumber: 'JC-2026-000001' } });
    expect(server.visits.size).toBe(1);
    expect(server.uploads).toHaveLength(3);
  });

  it('sends a visit without a signature when the campaign asks for none', async () => {
    const { outbox, server } = setup();
    await outbox.addVisit(3, { ...VISIT, signed: false, photos: VISIT.photos.slice(0, 2) });
    await outbox.flush(3);
    expect(server.visits.get('key-1')?.input).not.toHaveProperty('signature');
    expect(server.visits.get('key-1')?.input.answers[1]?.evidence).toHaveLength(2);
  });

  it('queues a re-inspection offline and, when its answer was lost, takes the 409 of the replay as sent', async () => {
    const { outbox, server, setOnline } = setup();
    await outbox.addVisit(3, VISIT);
    await outbox.flush(3);
    server.rectifications.set(101, 'handled');

    setOnline(false);
    await outbox.addReinspection(3, {
      visitId: 1,
      itemKey: '1.2',
      caseId: 101,
      caseNumber: 'R1-1',
      body: { outcome: 'pass', note: '摊位已退回线内' },
      actorName: '文明办督查员',
      photos: [photo('after')],
    });
    await outbox.flush(3);
    expect(outbox.items().find((item) => item.kind === 'reinspect')?.status).toBe('pending');

    setOnline(true);
    server.loseNextReinspectAnswer();
    await outbox.flush(3);
    expect(server.rectifications.get(101)).toBe('closed');
    await outbox.flush(3);
    const reinspection = outbox.items().find((item) => item.kind === 'reinspect');
    expect(reinspection).toMatchObject({ status: 'sent', error: null });
    expect(server.visits.get('key-1')?.detail.reinspections).toHaveLength(1);
  });

  it('shows a re-inspection of a case not awaiting verification as a conflict', async () => {
    const { outbox, server } = setup();
    await outbox.addVisit(3, VISIT);
    await outbox.flush(3);
    server.rectifications.set(101, 'accepted');
    await outbox.addReinspection(3, {
      visitId: 1,
      itemKey: '1.2',
      caseId: 101,
      caseNumber: 'R1-1',
      body: { outcome: 'fail', note: '仍越线经营' },
      actorName: '文明办督查员',
      photos: [],
    });
    await outbox.flush(3);
    expect(outbox.items().find((item) => item.kind === 'reinspect')).toMatchObject({
      status: 'conflict',
      error: '整改案件尚未办结待核查，不能复查。',
    });
  });
});
