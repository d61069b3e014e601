import sharp from 'sharp';
import type { Services } from '../../deps.ts';
import { type Actor, systemActor } from '../../modules/people/actor.ts';
import { actorOf } from '../../modules/people/auth.service.ts';
import { findUserByUsername } from '../../modules/people/user.repository.ts';
import type { Db } from '../database.ts';
import type { PlannedCase, StepActor } from './demo-history-plan.ts';
import { DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_TOWN_CODE } from './demo-town.ts';

/*
 * Who acts in the demo history and where: the demo logins, a handler for every department, each leaf grid's
 * worker, a photo for the steps that need one and points inside the grids (demo-history.ts).
 */

const PORTAL_ACTOR: Actor = { ...systemActor('portal'), name: '市民（公众门户）', scopeName: '公众门户' };

export interface DemoPeople {
  dispatcher: Actor;
  inspector: Actor;
  handlers: Map<string, Actor>;
  departments: Map<string, number>;
  gridWorkers: Map<string, Actor>;
}

/** The demo logins, a handler for every department (made here when missing) and each leaf grid's worker. */
export async function demoPeople(db: Db, services: Services, system: Actor): Promise<DemoPeople> {
  const login = async (username: string) => {
    const row = await findUserByUsername(db, username);
    return row ? actorOf(row, 'zh-CN') : undefined;
  };
  const departments = new Map(
    (await db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]),
  );
  const handlers = new Map<string, Actor>();
  for (const d of DEMO_DEPARTMENTS) {
    const existing = await db
      .selectFrom('users')
      .select('username')
      .where('role', '=', 'departmentHandler')
      .where('department_id', '=', departments.get(d.code) ?? -1)
      .orderBy('id')
      .executeTakeFirst();
    const username = existing?.username ?? d.code.toLowerCase();
    if (!existing) {
      await services.people.createUser(system, {
        username,
        displayName: `${d.name.replace(/（.*）$/, '')}处置员`,
        role: 'departmentHandler',
        regionCode: DEMO_TOWN_CODE,
        departmentId: departments.get(d.code) ?? null,
        phone: null,
        password: DEMO_PASSWORD,
      });
    }
    const actor = await login(username);
    if (actor) handlers.set(d.code, actor);
  }
  const workers = await db
    .selectFrom('grid_people')
    .innerJoin('users', 'users.id', 'grid_people.user_id')
    .select(['grid_people.grid_code', 'users.username'])
    .where('grid_people.duty', '=', 'gridWorker')
    .where('grid_people.grid_code', 'like', `${DEMO_TOWN_CODE}%`)
    .execute();
  const gridWorkers = new Map<string, Actor>();
  for (const w of workers) {
    const actor = await login(w.username);
    if (actor) gridWorkers.set(w.grid_code, actor);
  }
  const dispatcher = await login('dispatcher');
  const inspector = await login('inspector');
  if (!dispatcher || !inspector) throw new Error('the demo dispatcher and inspector are missing');
  return { dispatcher, inspector, handlers, departments, gridWorkers };
}

export async function actorFor(who: StepActor, plan: PlannedCase, people: DemoPeople): Promise<Actor> {
  const worker = people.gridWorkers.get(plan.gridCode) ?? people.dispatcher;
  switch (who.kind) {
    case 'dispatcher':
      return people.dispatcher;
    case 'gridWorker':
      return worker;
    case 'handler':
      return people.handlers.get(who.departmentCode) ?? people.dispatcher;
    case 'reporter':
      if (plan.source === 'gridWorker') return worker;
      if (plan.source === 'inspector') return people.inspector;
      if (plan.source === 'hotline') return people.dispatcher;
      return PORTAL_ACTOR;
  }
}

/** A street corner drawn plainly; "before" adds the heap of rubbish bags a report would be about. */
function demoScene(scene: 'before' | 'after'): string {
  const heap =
    scene === 'before'
      ? '<ellipse cx="150" cy="170" rx="46" ry="22" fill="#4a3b2a"/><circle cx="128" cy="158" r="18" fill="#2f2f2f"/>' +
        '<circle cx="166" cy="154" r="20" fill="#3d5a80"/><circle cx="190" cy="172" r="14" fill="#6b4f2a"/>' +
        '<rect x="210" y="150" width="16" height="10" fill="#c9b458" transform="rotate(25 218 155)"/>'
      : '';
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">' +
    '<rect width="320" height="90" fill="#8fbf8f"/><rect y="90" width="320" height="40" fill="#c8c2b8"/>' +
    '<rect y="130" width="320" height="110" fill="#8d939a"/>' +
    '<rect x="20" y="182" width="60" height="6" fill="#f4f4f4"/><rect x="130" y="182" width="60" height="6" fill="#f4f4f4"/>' +
    `<rect x="240" y="182" width="60" height="6" fill="#f4f4f4"/>${heap}</svg>`
  );
}

/**
 * One picture standing in for every synthetic photo of a kind: the problem as reported ("before"), or the same
 * corner cleared ("after", also the photo of any other demo record), so a case's before/after pair reads at once.
 */
export async function demoPhoto(
  services: Services,
  actor: Actor,
  scene: 'before' | 'after' = 'after',
): Promise<string> {
  const bytes = await sharp(Buffer.from(demoScene(scene)))
    .jpeg()
    .toBuffer();
  return (await services.evidence.uploadEvidence(actor, bytes)).id;
}

type GridFeatures = Awaited<ReturnType<Services['territory']['listGridFeatures']>>['features'];

/** A point inside the grid, near the spot the plan chose in its bounding box; null when none is found. */
export function pointsInGrids(features: GridFeatures) {
  const boxes = new Map(
    features.map((f) => {
      const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0]?.[0];
      const xs = (ring ?? []).map((p) => p[0] ?? 0);
      const ys = (ring ?? []).map((p) => p[1] ?? 0);
      return [f.properties.code, [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]];
    }),
  );
  return async (services: Services, code: string, [u, v]: [number, number]) => {
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = boxes.get(code) ?? [];
    // Towards the middle of the box on each try: a grid's middle is most often inside it.
    for (const shrink of [1, 0.6, 0.3, 0.1, 0]) {
      const lon = Number((x0 + (x1 - x0) * (0.5 + (u - 0.5) * shrink)).toFixed(6));
      const lat = Number((y0 + (y1 - y0) * (0.5 + (v - 0.5) * shrink)).toFixed(6));
      if ((await services.territory.locateCode(lon, lat)) === code) return { lon, lat };
    }
    return null;
  };
}
