import exifr from 'exifr';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../../shared/cases.ts';
import { AppError } from '../../errors.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import type { Actor } from '../people/actor.ts';
import { systemActor } from '../people/actor.ts';

/** Data scope of cases (issue 11, items 5, 9, 10 and 16): what a user outside a case gets of it — nothing. */
describe('cases within scope', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const users: Record<string, TestUser> = {};
  const departments: Record<string, number> = {};
  let rubbish = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-09-30T10:00:00+08:00') });
    await seedTerritory(ctx);
    Object.assign(departments, await seedCaseReference(ctx));
    const minors = (await ctx.services.categories.getCategoryTree()).flatMap((m) => m.children);
    rubbish = minors.find((c) => c.kind === 'matter' && c.code === '06010')?.id ?? 0;
    users.worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    users.otherVillage = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    users.dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.otherTown = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.otherTown });
    users.sanitation = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-HW'],
    });
    users.police = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-PCS'],
    });
    users.leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    app = await createApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const actor = (name: string): Actor => users[name]?.actor ?? systemActor();
  const report = (name: string, input: { clientKey?: string; evidence?: string[]; lon?: number } = {}) =>
    ctx.services.cases.reportCase(actor(name), {
      categoryId: rubbish,
      description: '河清路口有一堆暴露垃圾',
      lon: input.lon ?? 112.945,
      lat: 22.85,
      ...(input.clientKey ? { clientKey: input.clientKey } : {}),
      ...(input.evidence ? { evidence: input.evidence } : {}),
    });
  const act = async (name: string, caseId: number, action: string, input: Record<string, unknown> = {}) => {
    const current = await ctx.services.cases.getCase(systemActor(), caseId);
    return ctx.services.cases.actOnCase(actor(name), {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };
  const dispatchTo = async (caseId: number, department: string) => {
    await act('dispatcher', caseId, 'register');
    await act('dispatcher', caseId, 'dispatch', { leadDepartmentId: departments[department] });
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(() => null).catch((e: unknown) => e as AppError);

  describe('a client key is not a read permission', () => {
    it("answers a replay of a worker's key to the worker, and nothing of the case to anyone else", async () => {
      const first = await report('worker', { clientKey: 'outbox-7f3a' });
      // The worker's phone replaying its outbox gets its case back.
      expect((await report('worker', { clientKey: 'outbox-7f3a' })).id).toBe(first.id);

      // Another village's worker: the report itself is refused (outside their village), and the refusal is
      // all they get — it used to be answered with the case.
      const elsewhere = await failure(report('otherVillage', { clientKey: 'outbox-7f3a' }));
      // A department handler: the point lies in their town, so the insert itself met the key.
      const department = await failure(report('sanitation', { clientKey: 'outbox-7f3a' }));
      for (const error of [elsewhere, department]) {
        expect(error).toBeInstanceOf(AppError);
        expect(error?.code).toBe('ALREADY_EXISTS');
        expect(error?.message).not.toContain(first.caseNumber);
        expect(JSON.stringify(error)).not.toContain(first.caseNumber);
      }
      const cases = await ctx.services.cases.listCases(systemActor(), {
        q: first.caseNumber,
        page: 1,
        pageSize: 5,
      });
      expect(cases.total).toBe(1);
    });

    it('answers a replayed key over HTTP with 409 and no case body, and keeps hotline keys to imports', async () => {
      const first = await report('worker', { clientKey: 'outbox-http-1' });
      const imported = await ctx.services.cases.reportCase(
        actor('dispatcher'),
        {
          clientKey: 'hotline:2026093000017',
          categoryId: rubbish,
          description: '12345 来电：垃圾',
          lon: 112.945,
          lat: 22.85,
        },
        'hotline',
      );
      const session = await httpLogin(app, users.sanitation?.username ?? '');
      const send = (clientKey: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
          payload: { clientKey, categoryId: rubbish, description: '随便', lon: 112.945, lat: 22.85 },
        });
      const replayed = await send('outbox-http-1');
      expect(replayed.statusCode).toBe(409);
      expect(replayed.json().error.code).toBe('ALREADY_EXISTS');
      expect(replayed.body).not.toContain(first.caseNumber);
      const guessed = await send('hotline:2026093000017');
      expect(guessed.statusCode).toBe(400);
      expect(guessed.body).not.toContain(imported.caseNumber);
      expect(guessed.body).not.toContain('12345 来电');
    });
  });

  describe('an empty scope sees nothing', () => {
    it('lists, reads, offers and counts no case to a user whose scope is empty', async () => {
      const reported = await report('worker');
      const nobody: Actor = { ...actor('dispatcher'), scopeCode: '', scopeName: '' };
      expect((await ctx.services.cases.listCases(nobody, { page: 1, pageSize: 50 })).total).toBe(0);
      expect((await failure(ctx.services.cases.getCase(nobody, reported.id)))?.code).toBe('FORBIDDEN_SCOPE');
      const near = await ctx.services.cases.findPossibleDuplicates(nobody, {
        categoryId: rubbish,
        lon: 112.945,
        lat: 22.85,
      });
      expect(near).toEqual([]);
      // …and may not report anywhere either (an empty prefix used to prefix every region).
      const reportedByNobody = ctx.services.cases.reportCase(nobody, {
        categoryId: rubbish,
        description: '无范围用户上报',
        lon: 112.945,
        lat: 22.85,
      });
      expect((await failure(reportedByNobody))?.code).toBe('FORBIDDEN_SCOPE');
      // A department handler without a department sees nothing either.
      const noDepartment: Actor = { ...actor('sanitation'), departmentId: null };
      expect((await ctx.services.cases.listCases(noDepartment, { page: 1, pageSize: 50 })).total).toBe(0);
    });

    it('keeps another town out of a case by id, and out of merging into it', async () => {
      const original = await report('worker');
      const hidden = await failure(ctx.services.cases.getCase(actor('otherTown'), original.id));
      expect(hidden?.code).toBe('FORBIDDEN_SCOPE');
      expect(hidden?.message).not.toContain(original.caseNumber);
      const missing = await failure(ctx.services.cases.getCase(actor('otherTown'), 987_654_321));
      expect(missing?.code).toBe('NOT_FOUND');
      // A dispatcher of 英明 may merge a case of 英明, but not into a case of 河清 they cannot read.
      const duplicate = await report('otherVillage', { lon: 112.965 });
      const stranger: Actor = { ...actor('dispatcher'), scopeCode: TERRITORY.yingming, scopeName: '英明' };
      const refused = await failure(
        ctx.services.cases.actOnCase(stranger, {
          caseId: duplicate.id,
          action: 'reject',
          version: duplicate.version,
          input: { reason: 'duplicate', originalCaseId: original.id } as never,
        }),
      );
      expect(refused?.code).toBe('NOT_FOUND');
      const after = await ctx.services.cases.getCase(systemActor(), original.id);
      expect(after.events.map((e) => e.action)).toEqual(['report']);
    });
  });

  describe('possible duplicates within scope', () => {
    it('offers a department handler only candidates dispatched to their department', async () => {
      ctx.clock.set(new Date('2026-10-20T10:00:00+08:00'));
      const theirs = await report('worker', { lon: 112.9462 });
      const notDispatched = await report('worker', { lon: 112.9463 });
      const police = await report('worker', { lon: 112.9461 });
      await dispatchTo(theirs.id, 'JJ-HW');
      await dispatchTo(police.id, 'JJ-PCS');
      const near = (name: string) =>
        ctx.services.cases
          .findPossibleDuplicates(actor(name), { categoryId: rubbish, lon: 112.9462, lat: 22.85 })
          .then((found: CaseSummary[]) => found.map((c) => c.id).sort());
      expect(await near('sanitation')).toEqual([theirs.id]);
      expect(await near('police')).toEqual([police.id]);
      expect(await near('dispatcher')).toEqual([theirs.id, notDispatched.id, police.id].sort());
    });
  });

  describe('photos by permission', () => {
    const GPS = { takenAt: '2026:10:20 09:58:00', lon: 112.945123, lat: 22.850456 };
    let photoId = '';
    let photo: Buffer;
    let caseId = 0;
    const sessions: Record<string, HttpSession> = {};
    const get = async (name: string, query = '') => {
      sessions[name] ??= await httpLogin(app, users[name]?.username ?? '');
      return app.inject({
        method: 'GET',
        url: `/api/v1/evidence/${photoId}${query}`,
        headers: { cookie: sessions[name]?.cookie ?? '' },
      });
    };

    beforeAll(async () => {
      photo = await samplePhoto({ ...GPS, colour: '#2a6' });
      photoId = (await ctx.services.evidence.uploadEvidence(actor('worker'), photo)).id;
      const reported = await report('worker', { evidence: [photoId] });
      caseId = reported.id;
      await dispatchTo(caseId, 'JJ-HW');
    });

    it('serves a photo only to those who may read its case, thumbnails included', async () => {
      for (const name of ['otherVillage', 'otherTown', 'police']) {
        expect((await get(name)).statusCode, name).toBe(404);
        expect((await get(name, '?variant=thumbnail')).statusCode, name).toBe(404);
        // Naming a case they cannot read does not let them in either.
        expect((await get(name, `?caseId=${caseId}`)).statusCode, name).toBe(404);
      }
      for (const name of ['worker', 'dispatcher', 'sanitation', 'leader']) {
        expect((await get(name)).statusCode, name).toBe(200);
        expect((await get(name, `?variant=thumbnail&caseId=${caseId}`)).statusCode, name).toBe(200);
      }
    });

    it('keeps EXIF for those who check where a photo was taken, and strips it for the rest', async () => {
      const dispatcher = await get('dispatcher');
      expect(dispatcher.rawPayload.equals(photo)).toBe(true);
      expect(await exifr.gps(dispatcher.rawPayload)).toMatchObject({ latitude: expect.closeTo(GPS.lat, 5) });

      for (const name of ['sanitation', 'leader', 'worker']) {
        const served = (await get(name, `?caseId=${caseId}`)).rawPayload;
        expect(await exifr.parse(served).catch(() => undefined), name).toBeUndefined();
        expect(await sharp(served).metadata()).toMatchObject({ width: 64, height: 48, format: 'jpeg' });
        expect((await sharp(served).metadata()).exif).toBeUndefined();
      }
      // The case page still captions the photo with the time and place read at upload.
      const detail = await ctx.services.cases.getCase(actor('sanitation'), caseId);
      expect(detail.photos[0]).toMatchObject({ id: photoId, takenAt: '2026-10-20T01:58:00.000Z' });
      expect(detail.photos[0]?.lat).toBeCloseTo(GPS.lat, 5);
    });

    it('turns a stripped photo upright as its EXIF said, and never gives the public its metadata', async () => {
      const turned = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#36a' } })
        .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'PhoneMaker', Model: 'Phone X' } } })
        .jpeg()
        .toBuffer();
      const uploaded = await ctx.services.evidence.uploadEvidence(actor('worker'), turned);
      const reported = await report('worker', { evidence: [uploaded.id] });
      await dispatchTo(reported.id, 'JJ-HW');
      const served = await ctx.services.evidence.readEvidence(actor('sanitation'), uploaded.id);
      expect(await sharp(served.bytes).metadata()).toMatchObject({ width: 48, height: 64 });
      expect((await sharp(served.bytes).metadata()).exif).toBeUndefined();

      for (const id of [photoId, uploaded.id]) {
        const original = await ctx.services.evidence.readPublicEvidence(id, 'original');
        const thumbnail = await ctx.services.evidence.readPublicEvidence(id, 'thumbnail');
        for (const bytes of [original.bytes, thumbnail.bytes]) {
          expect((await sharp(bytes).metadata()).exif).toBeUndefined();
          expect(await exifr.parse(bytes).catch(() => undefined)).toBeUndefined();
        }
      }
    });
  });

  describe('no 5xx from input that names nothing', () => {
    it('refuses a dispatch to a department that does not exist with 404', async () => {
      const reported = await report('worker');
      await act('dispatcher', reported.id, 'register');
      const error = await failure(
        act('dispatcher', reported.id, 'dispatch', { leadDepartmentId: 2_000_000_000 }),
      );
      expect(error?.code).toBe('NOT_FOUND');
      const whistle = await failure(
        act('dispatcher', reported.id, 'dispatch', {
          leadDepartmentId: departments['JJ-HW'],
          assistingDepartmentIds: [1_999_999_999],
        }),
      );
      expect(whistle?.code).toBe('NOT_FOUND');
      expect((await ctx.services.cases.getCase(systemActor(), reported.id)).state).toBe('registered');
    });

    it('answers 4xx over HTTP for ids that name nothing and values out of range', async () => {
      const session = await httpLogin(app, users.dispatcher?.username ?? '');
      const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
      const reported = await report('worker');
      const probes = [
        { method: 'GET', url: '/api/v1/cases/987654321' },
        { method: 'GET', url: '/api/v1/cases/-1' },
        { method: 'GET', url: '/api/v1/cases?categoryId=2000000000&regionCode=%25_%5C' },
        { method: 'GET', url: '/api/v1/cases?categoryId=2000000000&q=%25_%5C' },
        { method: 'GET', url: `/api/v1/cases/duplicates?categoryId=2000000000&lon=112.9&lat=22.8` },
        { method: 'GET', url: `/api/v1/evidence/${'0'.repeat(64)}?caseId=987654321` },
        { method: 'GET', url: '/api/v1/indicators/satisfaction?from=2026-02-31' },
        {
          method: 'POST',
          url: '/api/v1/cases',
          payload: { categoryId: 2_000_000_000, description: '不存在的分类', lon: 112.945, lat: 22.85 },
        },
        {
          method: 'POST',
          url: '/api/v1/cases',
          payload: { categoryId: rubbish, description: '不存在的网格', regionCode: '440605121015999999' },
        },
        {
          method: 'POST',
          url: `/api/v1/cases/${reported.id}/actions/register`,
          payload: { version: reported.version },
        },
        {
          method: 'POST',
          url: `/api/v1/cases/${reported.id}/actions/dispatch`,
          payload: { version: reported.version + 1, leadDepartmentId: 2_000_000_000 },
        },
        {
          method: 'POST',
          url: `/api/v1/cases/${reported.id}/actions/reject`,
          payload: { version: reported.version + 1, reason: 'duplicate', originalCaseId: 987_654_321 },
        },
        {
          method: 'POST',
          url: '/api/v1/cases/bulk/dispatch',
          payload: { items: [{ id: 987_654_321, version: 1 }], input: { leadDepartmentId: 2_000_000_000 } },
        },
        {
          method: 'POST',
          url: `/api/v1/cases/${reported.id}/moderation`,
          payload: { target: 'f'.repeat(64), reason: '测试' },
        },
      ] as const;
      const answers: string[] = [];
      for (const probe of probes) {
        const response = await app.inject({ ...probe, headers });
        answers.push(`${response.statusCode} ${probe.method} ${probe.url}`);
      }
      // The register is the one probe meant to succeed; every other answer is a 4xx (or the bulk's 200).
      expect(answers.filter((a) => !/^(2|4)\d\d /.test(a))).toEqual([]);
      expect(answers.filter((a) => a.startsWith('200')).map((a) => a.split(' ').slice(1).join(' '))).toEqual([
        'GET /api/v1/cases?categoryId=2000000000&q=%25_%5C',
        'GET /api/v1/cases/duplicates?categoryId=2000000000&lon=112.9&lat=22.8',
        `POST /api/v1/cases/${reported.id}/actions/register`,
        'POST /api/v1/cases/bulk/dispatch',
      ]);
    });
  });
});
