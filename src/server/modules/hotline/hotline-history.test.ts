import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, seedCaseReference, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { sealAuditChain, verifyAuditChain } from '../audit/audit.service.ts';
import { createOpen311Service } from '../open311/open311.service.ts';
import { type Actor, systemActor } from '../people/actor.ts';
import { parseTime } from './hotline-dates.ts';

/**
 * Work-order history: an export of another city's hotline (English headers, US dates, agencies) imported as
 * cases whose timelines say what happened when, so that gridgov's indicators agree with the file.
 */

const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };
const HOUR = 3_600_000;
const ZONE = 'America/New_York';

const HEADERS = [
  'Service Request ID',
  'Created Date',
  'Closed Date',
  'Due Date',
  'Agency',
  'Complaint Type',
  'Descriptor',
  'Status',
  'Incident Address',
  'Latitude',
  'Longitude',
];

/** An instant as a US export writes it, in New York time: 03/05/2026 02:30:00 PM (Intl, not the importer). */
function usDate(at: Date | null): string {
  if (!at) return '';
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: true,
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}/${part('day')}/${part('year')} ${part('hour')}:${part('minute')}:${part('second')} ${part('dayPeriod').toUpperCase()}`;
}

interface Order {
  id: string;
  received: Date;
  due: Date;
  closed: Date | null;
  agency: string;
  type: string;
  where: typeof HEQING;
}

const AGENCIES = ['Sanitation Department', 'DOT', 'Parks'];

/** 1,000 orders from March to May 2026: a fifth still open, of the closed ones about one in four late. */
function historicalOrders(): Order[] {
  const orders: Order[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const start = Date.parse('2026-03-02T13:00:00Z');
  for (let i = 0; i < 1000; i++) {
    const received = new Date(
      start + Math.floor(random() * 85 * 24) * HOUR + Math.floor(random() * 3600) * 1000,
    );
    const due = new Date(received.getTime() + (2 + Math.floor(random() * 6)) * 24 * HOUR);
    const r = random();
    const closed =
      r < 0.2
        ? null
        : r < 0.4
          ? new Date(due.getTime() + Math.floor(1 + random() * 72) * HOUR)
          : new Date(received.getTime() + Math.floor(random() * (due.getTime() - received.getTime())));
    orders.push({
      id: `SR-${String(100_000 + i)}`,
      received,
      due,
      closed,
      agency: AGENCIES[i % 3] ?? 'DOT',
      type: i % 2 ? '06010 Exposed garbage' : '06012 Dirty road',
      where: i % 5 ? HEQING : YINGMING,
    });
  }
  return orders;
}

function csvOf(
  orders: readonly Order[],
  status = (o: Order) => (o.closed ? 'Closed' : 'In Progress'),
): Buffer {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = orders.map((o) =>
    [
      o.id,
      usDate(o.received),
      usDate(o.closed),
      usDate(o.due),
      o.agency,
      o.type,
      `Complaint ${o.id}: litter on the street`,
      status(o),
      '1 Main Street',
      String(o.where.lat),
      String(o.where.lon),
    ]
      .map(quote)
      .join(','),
  );
  return Buffer.from([HEADERS.join(','), ...lines].join('\r\n'), 'utf8');
}

describe('work-order history import', () => {
  let ctx: TestContext;
  let dispatcher: Actor;
  let departments: Record<string, number>;
  const orders = historicalOrders();

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    departments = await seedCaseReference(ctx);
    dispatcher = { ...(await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town })).actor };
    dispatcher = { ...dispatcher, locale: 'en-US' };
  });
  afterAll(() => ctx?.close());

  const agencyMapping = () => ({
    'Sanitation Department': departments['JJ-HW'] ?? 0,
    DOT: departments['JJ-CG'] ?? 0,
    Parks: departments['JJ-SCJG'] ?? 0,
  });

  it('reads US, Chinese and ISO dates in the chosen time zone', () => {
    const newYork = { timeZone: ZONE, dateOrder: 'mdy' } as const;
    // 5 March 2026 is before the change to daylight time (8 March): New York is UTC−5, in May UTC−4.
    expect(parseTime('03/05/2026 02:30:00 PM', newYork)).toEqual(new Date('2026-03-05T19:30:00Z'));
    expect(parseTime('05/05/2026 02:30 PM', newYork)).toEqual(new Date('2026-05-05T18:30:00Z'));
    expect(parseTime('03/05/2026 12:05:00 AM', newYork)).toEqual(new Date('2026-03-05T05:05:00Z'));
    expect(parseTime('2026/03/05 14:30', newYork)).toEqual(new Date('2026-03-05T19:30:00Z'));
    expect(parseTime('2026-03-05T14:30:00', newYork)).toEqual(new Date('2026-03-05T19:30:00Z'));
    expect(parseTime('2026-03-05T14:30:00+08:00', newYork)).toEqual(new Date('2026-03-05T06:30:00Z'));
    expect(parseTime('2026-03-05T14:30:00Z', newYork)).toEqual(new Date('2026-03-05T14:30:00Z'));
    expect(parseTime('03/05/2026 14:30', { timeZone: 'Asia/Shanghai', dateOrder: 'dmy' })).toEqual(
      new Date('2026-05-03T06:30:00Z'),
    );
    expect(parseTime('2026/03/05 14:30')).toEqual(new Date('2026-03-05T06:30:00Z'));
    // A spreadsheet date cell carries its wall-clock time as UTC.
    expect(parseTime(new Date('2026-03-05T14:30:00Z'), newYork)).toEqual(new Date('2026-03-05T19:30:00Z'));
    expect(parseTime('13/05/2026 02:30 PM', newYork)).toBe('invalid');
    expect(parseTime('03/05/2026 14:30 PM', newYork)).toBe('invalid');
  });

  it('imports an order with its history in the chosen zone: received, due by the category, closed', async () => {
    const header =
      'Service Request ID,Created Date,Closed Date,Status,Agency,Complaint Type,Description,Latitude,Longitude';
    const csv = [
      header,
      `TZ-1,2026/03/05 14:30,,Open,DOT,06010,Garbage by the bus stop,${HEQING.lat},${HEQING.lon}`,
      `TZ-2,03/05/2026 02:30:00 PM,03/06/2026 09:00:00 AM,Closed,DOT,06010,Garbage by the school,${HEQING.lat},${HEQING.lon}`,
      `TZ-3,2026-03-05T14:30:00Z,,Open,,06010,Garbage by the river,${HEQING.lat},${HEQING.lon}`,
    ].join('\n');
    const result = await ctx.services.hotline.importFile(dispatcher, {
      fileName: 'tz.csv',
      bytes: Buffer.from(csv),
      timeZone: ZONE,
      source: 'tz-test',
      agencies: { DOT: departments['JJ-PCS'] ?? 0 },
    });
    expect(result).toMatchObject({ total: 3, created: 3, updated: 0, rejected: 0 });
    const [open, closed, waiting] = await Promise.all(
      result.rows.map((r) => ctx.services.cases.getCase(dispatcher, r.caseId ?? 0)),
    );
    expect(open?.createdAt).toBe('2026-03-05T19:30:00.000Z');
    expect(open).toMatchObject({ state: 'dispatched', leadDepartmentId: departments['JJ-PCS'] });
    // No due date in the file: the category's handling limit, counted from the receipt.
    const dispatch = open?.events.find((e) => e.action === 'dispatch');
    expect(dispatch?.at).toBe('2026-03-05T19:30:00.000Z');
    expect(dispatch?.data.dueAt).toEqual(expect.any(String));
    expect(Date.parse(String(dispatch?.data.dueAt))).toBeGreaterThan(Date.parse('2026-03-05T19:30:00Z'));
    expect(open?.stepDueAt).toBe(dispatch?.data.dueAt);

    expect(closed).toMatchObject({
      state: 'closed',
      createdAt: '2026-03-05T19:30:00.000Z',
      closedAt: '2026-03-06T14:00:00.000Z',
    });
    expect(closed?.events.map((e) => [e.action, e.at])).toEqual([
      ['report', '2026-03-05T19:30:00.000Z'],
      ['register', '2026-03-05T19:30:00.000Z'],
      ['dispatch', '2026-03-05T19:30:00.000Z'],
      ['finish', '2026-03-06T14:00:00.000Z'],
      ['verifyPass', '2026-03-06T14:00:00.000Z'],
    ]);
    // An open order given to no agency waits for registration, reported when it was received.
    expect(waiting).toMatchObject({ state: 'reported', createdAt: '2026-03-05T14:30:00.000Z' });
  });

  it('publishes imported orders over Open311 with their own times and status where the town says so', async () => {
    const csv = [
      'Service Request ID,Created Date,Closed Date,Status,Agency,Complaint Type,Description,Latitude,Longitude',
      `PUB-1,02/10/2026 09:15:00 AM,02/11/2026 04:40:00 PM,Closed,DOT,06010,Garbage by the market,${HEQING.lat},${HEQING.lon}`,
    ].join('\n');
    const result = await ctx.services.hotline.importFile(dispatcher, {
      fileName: 'public.csv',
      bytes: Buffer.from(csv),
      timeZone: ZONE,
      source: 'open-data',
      agencies: { DOT: departments['JJ-CG'] ?? 0 },
    });
    const caseNumber = result.rows[0]?.caseNumber ?? '';
    expect(caseNumber).toMatch(/^20260210/);
    const { services } = ctx;
    const open311 = (publicSources: string[]) =>
      createOpen311Service({
        db: ctx.database.db,
        clock: ctx.clock,
        cases: services.cases,
        categories: services.categories,
        territory: services.territory,
        registry: services.registry,
        keys: services.apiKeys,
        evidence: services.evidence,
        jurisdictions: [],
        publicSources,
      });
    const read = async (publicSources: string[]) =>
      (await open311(publicSources).listRequests(new Map([['service_request_id', [caseNumber]]]), 'en-US'))
        .body;
    // Hotline orders are private by default (issue: private by default); a town publishing a city's open data
    // sets GRIDGOV_OPEN311_PUBLIC_SOURCES=resident,hotline.
    expect(await read(ctx.config.open311PublicSources)).toEqual([]);
    expect(await read(['resident', 'hotline'])).toEqual([
      expect.objectContaining({
        service_request_id: caseNumber,
        status: 'closed',
        // 09:15 in New York (UTC−5 in February), printed in UTC; outside the months the 1,000 orders fill.
        requested_datetime: '2026-02-10T14:15:00Z',
      }),
    ]);
  });

  it('maps the history columns of a Chinese export by their usual headers, in Beijing time', async () => {
    const csv = [
      '工单编号,受理时间,办理时限,办结时间,工单状态,承办单位,诉求类别,诉求内容,经度,纬度',
      `ZH-1,2026/03/05 14:30,2026/03/07 14:30,2026/03/08 09:00,已办结,九江派出所,06010,路口垃圾堆积,${HEQING.lon},${HEQING.lat}`,
      `ZH-2,2026年03月05日 15时00分,2026-03-09 18:00,,办理中,九江派出所,06010,菜市场门口垃圾,${YINGMING.lon},${YINGMING.lat}`,
    ].join('\n');
    const preview = await ctx.services.hotline.previewFile(dispatcher, {
      fileName: '12345.csv',
      bytes: Buffer.from(csv),
    });
    expect(preview.mapping).toMatchObject({
      dueAt: '办理时限',
      closedAt: '办结时间',
      status: '工单状态',
      agency: '承办单位',
    });
    // The agency has a department's name: mapped by it.
    expect(preview.agencies).toEqual([
      {
        agency: '九江派出所',
        rows: 2,
        departmentId: departments['JJ-PCS'],
        departmentName: '九江派出所',
        mappedBy: 'name',
      },
    ]);
    const result = await ctx.services.hotline.importFile(dispatcher, {
      fileName: '12345.csv',
      bytes: Buffer.from(csv),
    });
    expect(result).toMatchObject({ created: 2, rejected: 0 });
    const [late, open] = await Promise.all(
      result.rows.map((r) => ctx.services.cases.getCase(dispatcher, r.caseId ?? 0)),
    );
    expect(late).toMatchObject({
      state: 'closed',
      createdAt: '2026-03-05T06:30:00.000Z',
      closedAt: '2026-03-08T01:00:00.000Z',
      leadDepartmentId: departments['JJ-PCS'],
    });
    expect(late?.events.find((e) => e.action === 'dispatch')?.data.dueAt).toBe('2026-03-07T06:30:00.000Z');
    expect(open).toMatchObject({
      state: 'dispatched',
      createdAt: '2026-03-05T07:00:00.000Z',
      stepDueAt: '2026-03-09T10:00:00.000Z',
    });
  });

  it('computes on-time closure per agency from 1,000 imported orders as the file says it', async () => {
    const file = csvOf(orders);
    const preview = await ctx.services.hotline.previewFile(dispatcher, {
      fileName: 'service-requests.csv',
      bytes: file,
      timeZone: ZONE,
      source: 'city-311',
    });
    // English headers of the usual exports map themselves.
    expect(preview.mapping).toMatchObject({
      orderNo: 'Service Request ID',
      receivedAt: 'Created Date',
      closedAt: 'Closed Date',
      dueAt: 'Due Date',
      agency: 'Agency',
      category: 'Complaint Type',
      description: 'Descriptor',
      status: 'Status',
      address: 'Incident Address',
      lat: 'Latitude',
      lon: 'Longitude',
    });
    expect(preview.mappingProblems).toEqual([]);
    // Nothing remembered yet for this source: every agency is reported, with its row count.
    expect(preview.agencies).toEqual(
      expect.arrayContaining(
        AGENCIES.map((agency) => expect.objectContaining({ agency, departmentId: null, mappedBy: 'none' })),
      ),
    );
    expect(preview.agencies.reduce((n, a) => n + a.rows, 0)).toBe(1000);
    expect(preview.rejected).toBe(1000);
    expect(preview.rejectedRows[0]?.reasons).toEqual([
      expect.stringContaining('is not mapped to a department'),
    ]);

    const result = await ctx.services.hotline.importFile(dispatcher, {
      fileName: 'service-requests.csv',
      bytes: file,
      timeZone: ZONE,
      source: 'city-311',
      agencies: agencyMapping(),
    });
    expect(result).toMatchObject({ total: 1000, created: 1000, updated: 0, alreadyImported: 0, rejected: 0 });

    // The mapping is remembered for the source: the next preview shows it.
    const again = await ctx.services.hotline.previewFile(dispatcher, {
      fileName: 'service-requests.csv',
      bytes: file,
      timeZone: ZONE,
      source: 'city-311',
    });
    expect(again.agencies.find((a) => a.agency === 'DOT')).toMatchObject({
      departmentId: departments['JJ-CG'],
      mappedBy: 'remembered',
    });
    expect(again).toMatchObject({ ready: 0, changed: 0, alreadyImported: 1000, rejected: 0 });

    await ctx.services.caseFacts.refreshQueued();
    const period = { from: '2026-03-01', to: '2026-06-30' };
    const ranking = await ctx.services.rankings.getRanking(systemActor(), {
      ...period,
      unit: 'department',
      sortBy: 'composite',
    });
    for (const [agency, departmentId] of Object.entries(agencyMapping())) {
      const closed = orders.filter((o) => o.agency === agency && o.closed);
      const onTime = closed.filter((o) => (o.closed as Date) <= o.due);
      const row = ranking.rows.find((r) => r.key === String(departmentId));
      expect({ agency, closed: row?.counts.closed, onTime: row?.counts.closedOnTime }).toEqual({
        agency,
        closed: closed.length,
        onTime: onTime.length,
      });
      const rate = (row?.counts.closedOnTime ?? 0) / (row?.counts.closed ?? 1);
      expect(Math.abs(rate - onTime.length / closed.length)).toBeLessThan(0.001);
      expect(row?.counts.reported).toBe(orders.filter((o) => o.agency === agency).length);
    }
    // Some were late, some on time: the comparison says something.
    expect(orders.filter((o) => o.closed && o.closed > o.due).length).toBeGreaterThan(100);

    // The case rows are true: received, closed and state as the file says (what Open311 publishes).
    const sample = orders.find((o) => o.closed && o.closed > o.due) as Order;
    const found = result.rows.find((r) => r.orderNo === sample.id);
    const detail = await ctx.services.cases.getCase(dispatcher, found?.caseId ?? 0);
    expect(detail).toMatchObject({
      state: 'closed',
      createdAt: new Date(Math.floor(sample.received.getTime() / 1000) * 1000).toISOString(),
      closedAt: new Date(Math.floor((sample.closed as Date).getTime() / 1000) * 1000).toISOString(),
      externalRef: sample.id,
    });
    await sealAuditChain(ctx.database.db);
    expect(await verifyAuditChain(ctx.database.db)).toMatchObject({ ok: true, unsealed: 0 });
  }, 300_000);

  it('updates the orders a corrected file changes, says how many, and leaves the rest', async () => {
    const corrected = orders.slice(0, 30).map((o, i) =>
      i < 5
        ? // Closed a day later than the first file said.
          { ...o, closed: new Date((o.closed ?? o.received).getTime() + 24 * HOUR) }
        : o,
    );
    const before = await ctx.services.hotline.importFile(dispatcher, {
      fileName: 'first-30.csv',
      bytes: csvOf(orders.slice(0, 30)),
      timeZone: ZONE,
      source: 'city-311',
    });
    expect(before).toMatchObject({ created: 0, updated: 0, alreadyImported: 30 });
    const preview = await ctx.services.hotline.previewFile(dispatcher, {
      fileName: 'corrected.csv',
      bytes: csvOf(corrected),
      timeZone: ZONE,
      source: 'city-311',
    });
    expect(preview).toMatchObject({ ready: 5, changed: 5, alreadyImported: 25, rejected: 0 });
    const result = await ctx.services.hotline.importFile(dispatcher, {
      fileName: 'corrected.csv',
      bytes: csvOf(corrected),
      timeZone: ZONE,
      source: 'city-311',
    });
    expect(result).toMatchObject({ total: 30, created: 0, updated: 5, alreadyImported: 25, rejected: 0 });
    const changed = result.rows.filter((r) => r.status === 'updated');
    expect(changed.map((r) => r.orderNo)).toEqual(corrected.slice(0, 5).map((o) => o.id));
    for (const [i, row] of changed.entries()) {
      const detail = await ctx.services.cases.getCase(dispatcher, row.caseId ?? 0);
      const closedAt = corrected[i]?.closed as Date;
      expect(detail.state).toBe('closed');
      expect(detail.closedAt).toBe(new Date(Math.floor(closedAt.getTime() / 1000) * 1000).toISOString());
      // The history is written anew, not added to.
      expect(detail.events.map((e) => e.action)).toEqual([
        'report',
        'register',
        'dispatch',
        'finish',
        'verifyPass',
      ]);
    }
    const audited = await ctx.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'case.importUpdate')
      .execute();
    expect(audited).toHaveLength(5);
    // The facts follow the corrected timeline.
    await ctx.services.caseFacts.refreshQueued();
    const rebuilt = await ctx.services.caseFacts.rebuild();
    expect(rebuilt.factsDiffering).toEqual([]);
    await sealAuditChain(ctx.database.db);
    expect(await verifyAuditChain(ctx.database.db)).toMatchObject({ ok: true });
  }, 120_000);

  it('rejects every row it cannot take, each with its reason: an unmapped agency among them', async () => {
    const header =
      'Service Request ID,Created Date,Closed Date,Due Date,Status,Agency,Complaint Type,Description,Latitude,Longitude';
    const at = `${HEQING.lat},${HEQING.lon}`;
    const csv = [
      header,
      `RJ-1,03/05/2026 02:30 PM,,,Open,Fire Department,06010,Smoke from a bin,${at}`,
      `RJ-2,03/05/2026 02:30 PM,03/04/2026 09:00 AM,,Closed,DOT,06010,Closed before received,${at}`,
      `RJ-3,03/05/2026 02:30 PM,,,Closed,DOT,06010,Closed without a time,${at}`,
      `RJ-4,yesterday,,,Open,DOT,06010,No real date,${at}`,
      `RJ-5,,03/06/2026 09:00 AM,,Closed,DOT,06010,Closed without received,${at}`,
      `RJ-6,03/05/2026 02:30 PM,,03/01/2026 09:00 AM,Open,DOT,06010,Due before received,${at}`,
      `RJ-7,03/05/2026 02:30 PM,03/06/2026 09:00 AM,,Open,DOT,06010,Open with a closed time,${at}`,
      `RJ-8,03/05/2026 02:30 PM,03/06/2026 09:00 AM,,Closed,DOT,06010,Fine,${at}`,
    ].join('\n');
    const result = await ctx.services.hotline.importFile(dispatcher, {
      fileName: 'bad.csv',
      bytes: Buffer.from(csv),
      timeZone: ZONE,
      source: 'city-311',
    });
    expect(result).toMatchObject({ total: 8, created: 1, rejected: 7 });
    const reasons = Object.fromEntries(
      result.rows.filter((r) => r.status === 'rejected').map((r) => [r.orderNo, r.reasons.join(' / ')]),
    );
    expect(reasons).toEqual({
      'RJ-1':
        'agency "Fire Department" is not mapped to a department: choose its department in the agency table',
      'RJ-2': 'Closed at 2026-03-04 09:00 is before the received time 2026-03-05 14:30',
      'RJ-3': 'the status "Closed" says closed, but there is no closed time',
      'RJ-4': 'Received at "yesterday" is not a date: write it as 2026-11-20 09:30',
      'RJ-5': 'an order with a due or closed time needs its received time',
      'RJ-6': 'Due at 2026-03-01 09:00 is before the received time 2026-03-05 14:30',
      'RJ-7': 'the status "Open" says open, but a closed time (2026-03-06 09:00) is given',
    });
    const record = await ctx.database.db
      .selectFrom('hotline_imports')
      .select(['rejected', 'rejected_rows', 'updated'])
      .where('id', '=', result.id)
      .executeTakeFirstOrThrow();
    expect(record.rejected).toBe(7);
    expect(record.rejected_rows.map((r) => r.reasons.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('refuses an agency mapped to a department that does not exist, before importing anything', async () => {
    await expect(
      ctx.services.hotline.importFile(dispatcher, {
        fileName: 'x.csv',
        bytes: csvOf(orders.slice(0, 3)),
        timeZone: ZONE,
        source: 'city-311',
        agencies: { DOT: 999_999 },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
