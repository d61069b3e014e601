import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { seedUnit, seedUnitContact, testPhone } from './volunteer.fixtures.ts';

describe('volunteer service over HTTP', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let heqingStaff: HttpSession;
  let yingmingStaff: HttpSession;
  let leader: HttpSession;
  let contactA: HttpSession;
  let contactB: HttpSession;
  let unitA: Awaited<ReturnType<typeof seedUnit>>;
  let unitB: Awaited<ReturnType<typeof seedUnit>>;

  const call = async (session: HttpSession, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    unitA = await seedUnit(ctx, { name: '镇党建工作办公室', count: 14, partyMembers: 14 });
    unitB = await seedUnit(ctx, { name: '九江供电所', count: 10, partyMembers: 3 });
    const login = async (user: { username: string }) => httpLogin(app, user.username);
    contactA = await login(await seedUnitContact(ctx, unitA.unit.id));
    contactB = await login(await seedUnitContact(ctx, unitB.unit.id));
    heqingStaff = await login(await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing }));
    yingmingStaff = await login(
      await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming }),
    );
    leader = await login(await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town }));
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('fills a community’s request for 20 from two units and counts their sign-ins for each unit and the community', async () => {
    const asked = await call(heqingStaff, 'POST', '/volunteer-requests', {
      regionCode: TERRITORY.heqing,
      kind: 'doorToDoor',
      title: '三询问一完善入户走访',
      place: '河清社区党群服务中心',
      day: '2026-11-23',
      startTime: '08:30',
      endTime: '12:00',
      wanted: 20,
    });
    expect(asked.status).toBe(201);
    const id = asked.body.id;

    // Both units see the request to send people to; the other village does not.
    for (const contact of [contactA, contactB]) {
      const open = await call(contact, 'GET', '/volunteer-requests?open=true');
      expect(open.body.items.map((r: { id: number }) => r.id)).toContain(id);
    }
    expect((await call(yingmingStaff, 'GET', `/volunteer-requests/${id}`)).status).toBe(404);

    const sendA = await call(contactA, 'POST', `/volunteer-requests/${id}/assignments`, {
      unitId: unitA.unit.id,
      volunteerIds: unitA.volunteers.slice(0, 12).map((v) => v.id),
    });
    expect(sendA.status).toBe(200);
    expect(sendA.body.filled).toBe(12);
    // A unit cannot send more than is still wanted, nor people of another unit.
    const tooMany = await call(contactB, 'POST', `/volunteer-requests/${id}/assignments`, {
      unitId: unitB.unit.id,
      volunteerIds: unitB.volunteers.slice(0, 9).map((v) => v.id),
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toContain('还需 8 人');
    const foreign = await call(contactB, 'POST', `/volunteer-requests/${id}/assignments`, {
      unitId: unitA.unit.id,
      volunteerIds: [unitA.volunteers[13]?.id],
    });
    expect(foreign.status).toBe(404);
    const sendB = await call(contactB, 'POST', `/volunteer-requests/${id}/assignments`, {
      unitId: unitB.unit.id,
      volunteerIds: unitB.volunteers.slice(0, 8).map((v) => v.id),
    });
    expect(sendB.body).toMatchObject({ wanted: 20, filled: 20 });
    // A contact sees only their own unit's people; the community sees all twenty, phones masked.
    expect(sendB.body.assignments).toHaveLength(8);
    const detail = await call(heqingStaff, 'GET', `/volunteer-requests/${id}`);
    expect(detail.body.assignments).toHaveLength(20);
    expect(detail.body.units.map((u: { sent: number }) => u.sent).sort()).toEqual([12, 8]);
    expect(detail.body.assignments[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);

    // The community's staff sign everyone in at 08:30 (Beijing) and out at 11:30.
    for (const a of detail.body.assignments) {
      const signed = await call(heqingStaff, 'POST', `/volunteer-assignments/${a.id}/sign-in`, {
        at: '2026-11-23T00:30:00Z',
      });
      expect(signed.status).toBe(200);
      const out = await call(heqingStaff, 'POST', `/volunteer-assignments/${a.id}/sign-out`, {
        at: '2026-11-23T01:30:00Z',
      });
      expect(out.status).toBe(200);
    }
    // Signing in again keeps the first time; another village's staff cannot sign anyone in here.
    const first = detail.body.assignments[0];
    const again = await call(heqingStaff, 'POST', `/volunteer-assignments/${first.id}/sign-in`, {});
    expect(again.body.signedInAt).toBe('2026-11-23T00:30:00.000Z');
    expect((await call(yingmingStaff, 'POST', `/volunteer-assignments/${first.id}/sign-in`, {})).status).toBe(
      404,
    );

    const byUnit = await call(leader, 'GET', '/volunteers/figures?by=unit');
    const times = Object.fromEntries(
      byUnit.body.rows.map((r: { name: string; personTimes: number }) => [r.name, r.personTimes]),
    );
    expect(times).toEqual({ 镇党建工作办公室: 12, 九江供电所: 8 });
    expect(byUnit.body.totals).toMatchObject({ personTimes: 20, hours: 20, units: 2 });
    const byCommunity = await call(leader, 'GET', '/volunteers/figures?by=community');
    expect(byCommunity.body.rows).toEqual([
      expect.objectContaining({ key: TERRITORY.heqing, personTimes: 20, partyMemberTimes: 15 }),
    ]);
    // A unit contact counts only their own unit; the drill-down lists the sign-ins behind a figure.
    const own = await call(contactB, 'GET', '/volunteers/figures?by=community');
    expect(own.body.totals.personTimes).toBe(8);
    const drill = await call(
      leader,
      'GET',
      `/volunteers/sign-ins?unitId=${unitB.unit.id}&regionCode=${TERRITORY.heqing}`,
    );
    expect(drill.body.total).toBe(8);
    expect(drill.body.items[0]).toMatchObject({ hours: 1, requestTitle: '三询问一完善入户走访' });
  });

  it('lets a volunteer with an account see and sign their own task', async () => {
    const account = await createUser(ctx, { role: 'volunteer', regionCode: TERRITORY.town });
    const volunteer = await ctx.services.volunteers.addVolunteer(systemActor(), unitB.unit.id, {
      name: '有账号的志愿者',
      phone: testPhone(),
      partyMember: false,
      userId: account.id,
    });
    const request = await ctx.services.volunteers.createRequest(systemActor(), {
      regionCode: TERRITORY.heqing,
      kind: 'checkpoint',
      title: '村口卡点值守',
      place: '河清村口',
      day: '2026-11-23',
      startTime: '14:00',
      endTime: '18:00',
      wanted: 2,
      note: '',
    });
    await ctx.services.volunteers.sendVolunteers(systemActor(), request.id, {
      unitId: unitB.unit.id,
      volunteerIds: [volunteer.id],
    });
    const session = await httpLogin(app, account.username);
    const tasks = await call(session, 'GET', '/volunteers/my-tasks');
    expect(tasks.body).toHaveLength(1);
    expect(tasks.body[0].request).toMatchObject({ title: '村口卡点值守', regionName: expect.any(String) });
    const signed = await call(
      session,
      'POST',
      `/volunteer-assignments/${tasks.body[0].assignment.id}/sign-in`,
      {},
    );
    expect(signed.body.signedInAt).not.toBeNull();
    // Their account reads nothing of the registry or the cases: a volunteer holds no region.
    expect((await call(session, 'GET', '/volunteer-requests')).status).toBe(403);
  });

  it('masks a volunteer’s phone and ID number, and logs a reveal', async () => {
    const volunteer = unitA.volunteers[0];
    const list = await call(contactA, 'GET', `/volunteer-units/${unitA.unit.id}/volunteers`);
    expect(list.body[0].phone).toMatch(/\*{4}/);
    expect((await call(contactB, 'GET', `/volunteer-units/${unitA.unit.id}/volunteers`)).status).toBe(404);
    const shown = await call(contactA, 'POST', `/volunteers/${volunteer?.id}/reveal`, { field: 'phone' });
    expect(shown.body.value).toMatch(/^137\d{8}$/);
    const log = await ctx.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'registry.reveal')
      .where('entity_type', '=', 'volunteer')
      .execute();
    expect(log.map((r) => r.entity_id)).toEqual([String(volunteer?.id)]);
    expect(
      (await call(contactB, 'POST', `/volunteers/${volunteer?.id}/reveal`, { field: 'phone' })).status,
    ).toBe(404);
  });

  it('names the field of a bad request', async () => {
    const bad = await call(heqingStaff, 'POST', '/volunteer-requests', {
      regionCode: TERRITORY.heqing,
      kind: 'cleanUp',
      title: '清洁',
      place: '河清',
      day: '2026-11-24',
      startTime: '10:00',
      endTime: '09:00',
      wanted: 5,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('endTime');
    const elsewhere = await call(heqingStaff, 'POST', '/volunteer-requests', {
      regionCode: TERRITORY.yingming,
      kind: 'cleanUp',
      title: '清洁',
      place: '英明',
      day: '2026-11-24',
      startTime: '08:00',
      endTime: '09:00',
      wanted: 5,
    });
    expect(elsewhere.status).toBe(403);
  });
});
