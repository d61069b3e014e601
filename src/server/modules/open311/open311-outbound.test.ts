import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

const DESCRIPTION = '河清路口有一堆暴露垃圾，已经两天没人清运';
const MINUTE = 60_000;

/** One gridgov town: territory, departments, categories, and the app listening on a free local port. */
interface Town {
  ctx: TestContext;
  app: FastifyInstance;
  base: string;
  departments: Record<string, number>;
  rubbishId: number;
}

async function startTown(): Promise<Town> {
  // The two towns talk over loopback, which only an administrator's allow list opens.
  const ctx = await createTestContext({ config: { outboundAllow: ['127.0.0.0/8'] } });
  await seedTerritory(ctx);
  const departments = await seedCaseReference(ctx);
  const tree = await ctx.services.categories.getCategoryTree();
  const rubbishId = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
  const app = await createApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { ctx, app, base: `http://127.0.0.1:${port}`, departments, rubbishId };
}

/**
 * Outbound Open311 between two gridgov servers: A sends the cases it dispatches to its sanitation station to
 * B's Open311 server, and pulls B's updates back into its timelines.
 */
describe('Open311 outbound', () => {
  let a: Town;
  let b: Town;
  let admin: HttpSession;
  let apiKey = '';

  beforeAll(async () => {
    a = await startTown();
    b = await startTown();
    apiKey = (
      await b.ctx.services.apiKeys.createKey(systemActor(), {
        name: 'A 镇',
        rateLimitPerMinute: 600,
        regionCode: TERRITORY.town,
      })
    ).key;
    const adminUser = await createUser(a.ctx, { role: 'administrator', regionCode: TERRITORY.town });
    admin = await httpLogin(a.app, adminUser.username);
  });
  afterAll(async () => {
    for (const town of [a, b]) {
      await town?.app.close();
      await town?.ctx.close();
    }
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    a.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      ...(payload ? { payload } : {}),
    });

  /** Reports a case in town A and dispatches it to a department. */
  async function dispatchedCase(department: number): Promise<number> {
    const services = a.ctx.services;
    const reported = await services.cases.reportCase(systemActor(), {
      categoryId: a.rubbishId,
      description: DESCRIPTION,
      lon: 112.945,
      lat: 22.85,
    });
    await act(a, reported.id, 'register');
    await act(a, reported.id, 'dispatch', { leadDepartmentId: department });
    return reported.id;
  }

  async function act(town: Town, caseId: number, action: string, input: Record<string, unknown> = {}) {
    const current = await town.ctx.services.cases.getCase(systemActor(), caseId);
    await town.ctx.services.cases.actOnCase(systemActor(), {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  }

  async function createEndpoint(payload: Record<string, unknown>) {
    const response = await api('POST', '/open311/endpoints', {
      baseUrl: `${b.base}/open311/v2`,
      categoryIds: [a.rubbishId],
      ...payload,
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('sends a dispatched case to the remote server and pulls its updates back, each once', async () => {
    const endpoint = await createEndpoint({
      name: '环卫站作业系统',
      departmentId: a.departments['JJ-HW'],
      apiKey,
    });
    expect(endpoint.apiKeyMasked).toBe(`${apiKey.slice(0, 4)}****`);
    expect(JSON.stringify((await api('GET', '/open311/endpoints')).json())).not.toContain(apiKey);

    // A case of another department, or of another category, is not sent.
    await dispatchedCase(a.departments['JJ-CG'] ?? 0);
    const caseId = await dispatchedCase(a.departments['JJ-HW'] ?? 0);
    const queued = (await api('GET', '/open311/outbound')).json();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ caseId, status: 'pending', attempts: 0 });

    expect(await a.ctx.services.open311Outbound.sendDue()).toEqual({ sent: 1, failed: 0 });
    const [sent] = (await api('GET', '/open311/outbound?status=sent')).json();
    expect(sent).toMatchObject({ caseId, status: 'sent', attempts: 1, lastError: null });
    const remoteId = sent.remoteRequestId as string;
    expect(remoteId).toMatch(/^\d+$/);

    // The case now exists in B, with A's description, reported by A's key.
    const remote = await (await fetch(`${b.base}/open311/v2/requests/${remoteId}.json`)).json();
    expect(remote[0]).toMatchObject({ service_code: '06010', description: DESCRIPTION, status: 'open' });

    // B's staff take it on: each step is a public update in B.
    const remoteCaseId = (
      await b.ctx.services.cases.listCases(systemActor(), { q: remoteId, page: 1, pageSize: 20 })
    ).items[0]?.id;
    expect(remoteCaseId).toBeDefined();
    for (const clock of [a.ctx.clock, b.ctx.clock]) clock.advance(MINUTE);
    await act(b, remoteCaseId ?? 0, 'register');
    await act(b, remoteCaseId ?? 0, 'dispatch', { leadDepartmentId: b.departments['JJ-HW'] });
    for (const clock of [a.ctx.clock, b.ctx.clock]) clock.advance(MINUTE);

    const pulled = await a.ctx.services.open311Outbound.pullUpdates({ endpointId: endpoint.id });
    expect(pulled.failed).toBe(0);
    const timeline = async () =>
      (await a.ctx.services.cases.getCase(systemActor(), caseId)).events.filter(
        (e) => e.action === 'clientUpdate',
      );
    const updates = await timeline();
    expect(updates.length).toBe(pulled.recorded);
    expect(updates.map((u) => u.data.remoteStatus)).toEqual(
      expect.arrayContaining(['investigating', 'action_scheduled']),
    );
    const dispatchedUpdate = updates.find((u) => u.data.remoteStatus === 'action_scheduled');
    expect(dispatchedUpdate).toMatchObject({ actorName: '环卫站作业系统', note: '已派遣至责任部门' });
    expect(dispatchedUpdate?.data).toMatchObject({ endpointId: endpoint.id, updateId: expect.any(String) });

    // Pulled again (the window overlaps): nothing twice.
    a.ctx.clock.advance(MINUTE);
    expect(await a.ctx.services.open311Outbound.pullUpdates({ endpointId: endpoint.id })).toEqual({
      recorded: 0,
      failed: 0,
    });
    expect(await timeline()).toHaveLength(updates.length);
    const [afterPull] = (await api('GET', '/open311/endpoints')).json();
    expect(afterPull).toMatchObject({ lastPullError: null, lastPullAt: a.ctx.clock.now().toISOString() });

    // A later step in B arrives with the next pull.
    b.ctx.clock.advance(MINUTE);
    await act(b, remoteCaseId ?? 0, 'accept');
    a.ctx.clock.advance(2 * MINUTE);
    expect((await a.ctx.services.open311Outbound.pullUpdates({ endpointId: endpoint.id })).recorded).toBe(1);
    expect((await timeline()).at(-1)?.data.remoteStatus).toBe('in_progress');
  });

  it('keeps a refused send as failed with the error and a later attempt, and retries it', async () => {
    const endpoint = await createEndpoint({
      name: '城管执法系统',
      departmentId: a.departments['JJ-CG'],
      apiKey: 'g311_wrong',
      jurisdictionId: TERRITORY.town,
    });
    const caseId = await dispatchedCase(a.departments['JJ-CG'] ?? 0);
    const now = a.ctx.clock.now().getTime();
    expect(await a.ctx.services.open311Outbound.sendDue()).toEqual({ sent: 0, failed: 1 });
    const [failed] = (await api('GET', '/open311/outbound?status=failed')).json();
    expect(failed).toMatchObject({ caseId, status: 'failed', attempts: 1, remoteRequestId: null });
    expect(failed.lastError).toMatch(/^HTTP 403: /);
    expect(Date.parse(failed.nextAttemptAt)).toBe(now + MINUTE);
    expect(
      (await api('GET', '/open311/endpoints')).json().find((e: { id: number }) => e.id === endpoint.id),
    ).toMatchObject({ failedCount: 1 });

    // Not due yet: the worker leaves it alone.
    expect(await a.ctx.services.open311Outbound.sendDue()).toEqual({ sent: 0, failed: 0 });
    // Retried by hand while still refused: failed again, two minutes on.
    const again = (await api('POST', `/open311/outbound/${failed.id}/retry`)).json();
    expect(again).toMatchObject({ status: 'failed', attempts: 2 });
    expect(Date.parse(again.nextAttemptAt)).toBe(now + 2 * MINUTE);

    // With the right key the retry goes through.
    const patched = await api('PATCH', `/open311/endpoints/${endpoint.id}`, {
      apiKey,
      version: endpoint.version,
    });
    expect(patched.statusCode).toBe(200);
    // Only the key changed: the categories and jurisdiction it had stay.
    expect(patched.json()).toMatchObject({
      categoryIds: [a.rubbishId],
      jurisdictionId: TERRITORY.town,
      active: true,
      apiKeyMasked: `${apiKey.slice(0, 4)}****`,
    });
    const retried = (await api('POST', `/open311/outbound/${failed.id}/retry`)).json();
    expect(retried).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(retried.remoteRequestId).toMatch(/^\d+$/);
    // A sent row cannot be retried.
    expect((await api('POST', `/open311/outbound/${failed.id}/retry`)).statusCode).toBe(409);
  });

  it('gives up after the last attempt, and only administrators of the department’s region manage endpoints', async () => {
    const endpoint = await createEndpoint({
      name: '派出所系统',
      departmentId: a.departments['JJ-PCS'],
      apiKey,
      baseUrl: 'http://127.0.0.1:9/open311/v2',
      categoryIds: [],
    });
    await dispatchedCase(a.departments['JJ-PCS'] ?? 0);
    for (let attempt = 1; attempt <= 8; attempt++) {
      await a.ctx.services.open311Outbound.sendDue();
      a.ctx.clock.advance(61 * MINUTE);
    }
    const [dead] = (await api('GET', `/open311/outbound?status=dead&endpointId=${endpoint.id}`)).json();
    expect(dead).toMatchObject({ status: 'dead', attempts: 8, nextAttemptAt: null });
    expect(dead.lastError).toBeTruthy();

    const dispatcherUser = await createUser(a.ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    const dispatcher = await httpLogin(a.app, dispatcherUser.username);
    const denied = await a.app.inject({
      method: 'GET',
      url: '/api/v1/open311/endpoints',
      headers: { cookie: dispatcher.cookie },
    });
    expect(denied.statusCode).toBe(403);

    // Another village's administrator neither sees nor touches the town departments' endpoints, nor the sends
    // of this village's cases.
    const villageAdmin = await httpLogin(
      a.app,
      (await createUser(a.ctx, { role: 'administrator', regionCode: TERRITORY.yingming })).username,
    );
    const asVillage = (method: 'GET' | 'DELETE', url: string) =>
      a.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { cookie: villageAdmin.cookie, 'x-csrf-token': villageAdmin.csrfToken },
      });
    expect((await asVillage('GET', '/open311/endpoints')).json()).toEqual([]);
    expect((await asVillage('DELETE', `/open311/endpoints/${endpoint.id}`)).statusCode).toBe(403);
    expect((await asVillage('GET', '/open311/outbound?status=dead')).json()).toEqual([]);

    expect((await api('DELETE', `/open311/endpoints/${endpoint.id}`)).statusCode).toBe(204);
  });
});
