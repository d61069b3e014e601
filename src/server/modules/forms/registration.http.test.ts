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
import { registrationInput, validIdNumber } from '../../testing/registration-fixtures.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

const IN_HEQING_WEST = { lon: 112.945, lat: 22.85 };
const HOUR = 3_600_000;

describe('public self-registration (报备)', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let heqingAdmin: HttpSession;
  let heqingWorker: HttpSession;
  let heqingLeader: HttpSession;
  let yingmingAdmin: HttpSession;
  let ipCount = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    app = await createApp(ctx);
    const login = async (role: 'administrator' | 'gridWorker' | 'leader', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    heqingAdmin = await login('administrator', TERRITORY.heqing);
    heqingWorker = await login('gridWorker', TERRITORY.heqing);
    heqingLeader = await login('leader', TERRITORY.heqing);
    yingmingAdmin = await login('administrator', TERRITORY.yingming);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const newIp = () => `203.0.113.${++ipCount}`;
  /** Sends the form as the page does: a form token first, then the registration once it has aged. */
  const register = async (body: object, headers: Record<string, string> = {}) => {
    const ip = newIp();
    const token = (
      await app.inject({ method: 'GET', url: '/api/v1/public/form-token', remoteAddress: ip })
    ).json().token;
    ctx.clock.advance(5_000);
    return app.inject({
      method: 'POST',
      url: '/api/v1/public/registrations',
      remoteAddress: ip,
      headers,
      payload: { formToken: token, ...body },
    });
  };
  const hoursAgo = (hours: number) =>
    new Date(ctx.clock.now().getTime() + 5_000 - hours * HOUR).toISOString();
  const staff = (method: 'GET' | 'POST', url: string, session: HttpSession, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload ? { payload } : {}),
    });
  const listFor = async (session: HttpSession, query = '') =>
    (await staff('GET', `/registrations?pageSize=200${query}`, session)).json();

  it('flags a registration 13 hours after arrival as late, and one 11 hours after as on time', async () => {
    const late = await register(registrationInput({ arrivedAt: hoursAgo(13), ...IN_HEQING_WEST }));
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json()).toMatchObject({ late: true, windowHours: 12, communityName: '河清社区居委会' });
    expect(late.json().gridName).toBe('第1网格');
    expect(late.json().receiptCode).toMatch(/^[0-9A-Z]{16}$/);

    const onTime = await register(
      registrationInput({ name: '准时到', arrivedAt: hoursAgo(11), ...IN_HEQING_WEST }),
    );
    expect(onTime.statusCode, onTime.body).toBe(200);
    expect(onTime.json().late).toBe(false);

    const list = await listFor(heqingAdmin);
    const byReceipt = (code: string) =>
      list.items.find((r: { receiptCode: string }) => r.receiptCode === code);
    expect(byReceipt(late.json().receiptCode)).toMatchObject({ late: true, hoursAfterArrival: 13 });
    expect(byReceipt(onTime.json().receiptCode)).toMatchObject({ late: false, hoursAfterArrival: 11 });
  });

  it('refuses a wrong ID checksum with the reason, in the registrant’s language', async () => {
    const good = validIdNumber('19900101', 456);
    const wrong = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const zh = await register(registrationInput({ idNumber: wrong }));
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.message).toContain('身份证号校验位错误');
    expect(JSON.stringify(zh.json().error.details)).toContain('idNumber');
    const en = await register(registrationInput({ idNumber: wrong }), { 'accept-language': 'en-US' });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.message).toContain('ID number check digit is wrong');
  });

  it('refuses an arrival in the future, naming the field', async () => {
    const response = await register(
      registrationInput({ arrivedAt: new Date(ctx.clock.now().getTime() + 2 * HOUR).toISOString() }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('arrivedAt');
    expect(response.json().error.message).toContain('到达时间不能晚于当前时间');
  });

  it('places the destination by its point, else by the community its address names, else asks for the map', async () => {
    const east = await register(registrationInput({ lon: 112.955, lat: 22.85, arrivedAt: hoursAgo(1) }));
    expect(east.json()).toMatchObject({ communityName: '河清社区居委会', gridName: '第2网格' });
    const byAddress = await register(
      registrationInput({ address: '英明社区 新村路 8 号', arrivedAt: hoursAgo(1) }),
    );
    expect(byAddress.statusCode, byAddress.body).toBe(200);
    expect(byAddress.json()).toMatchObject({ communityName: '英明社区居委会', gridName: null });
    const unknown = await register(registrationInput({ address: '不知道哪里 1 号', arrivedAt: hoursAgo(1) }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues[0].path).toBe('address');
    const outside = await register(registrationInput({ lon: 113.5, lat: 23.5, arrivedAt: hoursAgo(1) }));
    expect(outside.statusCode).toBe(400);
  });

  it('keeps the portal’s bot trap: the hidden field, a token used twice, and a resend answered the same', async () => {
    expect((await register({ ...registrationInput(), website: 'http://spam' })).statusCode).toBe(400);
    const ip = newIp();
    const token = (
      await app.inject({ method: 'GET', url: '/api/v1/public/form-token', remoteAddress: ip })
    ).json().token;
    ctx.clock.advance(5_000);
    const send = (clientKey: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/public/registrations',
        remoteAddress: ip,
        payload: { ...registrationInput({ arrivedAt: hoursAgo(1) }), formToken: token, clientKey },
      });
    const first = await send('resend-key-0001');
    const again = await send('resend-key-0001');
    expect(again.json().receiptCode).toBe(first.json().receiptCode);
    expect((await send('another-key-0002')).statusCode).toBe(400);
  });

  it('shows the community its registrations masked, and other villages nothing', async () => {
    const list = await listFor(heqingAdmin);
    expect(list.total).toBeGreaterThanOrEqual(3);
    for (const item of list.items) {
      expect(item.villageCode).toBe(TERRITORY.heqing);
      expect(item.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(item.phone).toBe('138****5678');
    }
    expect(JSON.stringify(list)).not.toContain('13812345678');
    const other = await listFor(yingmingAdmin);
    expect(other.items.every((r: { villageCode: string }) => r.villageCode === TERRITORY.yingming)).toBe(
      true,
    );
    const first = list.items[0].id;
    expect((await staff('GET', `/registrations/${first}`, yingmingAdmin)).statusCode).toBe(404);
    expect(
      (await staff('POST', `/registrations/${first}/reveal`, yingmingAdmin, { field: 'idNumber' }))
        .statusCode,
    ).toBe(404);
  });

  it('reveals an ID number once, audited in the administrators’ personal data log; a leader may not', async () => {
    const [first] = (await listFor(heqingAdmin, '&late=true')).items;
    const revealed = await staff('POST', `/registrations/${first.id}/reveal`, heqingWorker, {
      field: 'idNumber',
    });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json().value).toBe(validIdNumber('19900101', 123));
    const leader = await staff('POST', `/registrations/${first.id}/reveal`, heqingLeader, {
      field: 'idNumber',
    });
    expect(leader.statusCode).toBe(403);
    const log = (
      await staff('GET', '/registry/personal-data-log?action=registration.reveal', heqingAdmin)
    ).json();
    expect(log[0]).toMatchObject({
      action: 'registration.reveal',
      entity: 'registration',
      recordIds: [first.id],
    });
    expect(log[0].fields).toEqual(['idNumber']);
  });

  it('lets the grid worker confirm after a visit, once, and filters by confirmed', async () => {
    const [target] = (await listFor(heqingWorker, '&confirmed=false')).items;
    const toVisit = (await staff('GET', '/registrations/to-visit', heqingWorker)).json();
    expect(toVisit.map((r: { id: number }) => r.id)).toContain(target.id);
    const confirmed = await staff('POST', `/registrations/${target.id}/confirm`, heqingWorker, {
      version: target.version,
      note: '已上门核实',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ confirmNote: '已上门核实', version: target.version + 1 });
    expect(confirmed.json().confirmedAt).not.toBeNull();
    const twice = await staff('POST', `/registrations/${target.id}/confirm`, heqingWorker, {
      version: target.version + 1,
    });
    expect(twice.statusCode).toBe(409);
    const done = await listFor(heqingAdmin, '&confirmed=true');
    expect(done.items.map((r: { id: number }) => r.id)).toEqual([target.id]);
    expect(
      (await staff('POST', `/registrations/${target.id}/confirm`, heqingLeader, { version: 2 })).statusCode,
    ).toBe(403);
  });

  it("lists a grid worker's own grids to visit, with the arrivals placed only in their community; others see the whole village", async () => {
    const gridOne = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    const grid = await ctx.services.territory.getRegionDetail(systemActor(), TERRITORY.heqingGrids[0]);
    await ctx.services.territory.setGridPeople(systemActor(), {
      code: TERRITORY.heqingGrids[0],
      version: grid.version,
      people: [{ userId: gridOne.id, duty: 'gridWorker' }],
    });
    const arrive = async (name: string, place: object) => {
      const response = await register(registrationInput({ name, arrivedAt: hoursAgo(2), ...place }));
      expect(response.statusCode, response.body).toBe(200);
    };
    await arrive('一网格来人', IN_HEQING_WEST);
    await arrive('二网格来人', { lon: 112.955, lat: 22.85 });
    await arrive('社区来人', { address: '河清社区 沙口路 5 号' });
    const names = async (session: HttpSession) =>
      (await staff('GET', '/registrations/to-visit', session))
        .json()
        .map((r: { name: string }) => r.name)
        .filter((name: string) => name.endsWith('来人'));

    const own = await names(await httpLogin(app, gridOne.username));
    expect(own.sort()).toEqual(['一网格来人', '社区来人'].sort());
    // A grid worker named for no grid, and the community's administrator, keep the whole village.
    for (const session of [heqingWorker, heqingAdmin]) {
      expect((await names(session)).sort()).toEqual(['一网格来人', '二网格来人', '社区来人'].sort());
    }
    expect(await names(yingmingAdmin)).toEqual([]);
  });

  it('counts registrations per community and day', async () => {
    const counts = (await staff('GET', '/registrations/counts', heqingAdmin)).json();
    const list = await listFor(heqingAdmin);
    const heqing = counts.rows.filter((r: { villageCode: string }) => r.villageCode === TERRITORY.heqing);
    expect(heqing).toHaveLength(1);
    expect(heqing[0]).toMatchObject({
      day: '2026-11-23',
      villageName: '河清社区居委会',
      total: list.total,
      late: list.items.filter((r: { late: boolean }) => r.late).length,
      confirmed: 1,
    });
    const bad = await staff('GET', '/registrations/counts?from=2026-12-01&to=2026-11-01', heqingAdmin);
    expect(bad.statusCode).toBe(400);
  });
});
