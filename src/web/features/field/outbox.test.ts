import { describe, expect, it } from 'vitest';
import type { CaseDetail, CaseSummary } from '../../../shared/cases.ts';
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
  };
  return {
    transport,
    cases,
    uploads,
    details,
    setDown: (value: boolean) => {
      down = value;
    },
    failNextWith: (error: Error) => {
      next = error;
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
