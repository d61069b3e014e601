import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import type { SiteType } from '../../shared/inspections.ts';
import type { Role } from '../../shared/roles.ts';
import type { AreaGeometry } from '../../shared/territory.ts';
import { buildApp } from '../app.ts';
import { DEMO_DEPARTMENTS } from '../db/seed/demo-town.ts';
import { type Actor, systemActor } from '../modules/people/actor.ts';
import type { TestContext } from './test-database.ts';

export const PASSWORD = 'Test-pass-2026';

/**
 * A small real territory: 九江镇 with two villages (河清, 英明), each cut into two leaf grids under one
 * first-level grid, and 西樵镇 with one village and no grids. Boundaries are rectangles in WGS-84.
 */
export const TERRITORY = {
  town: '440605121',
  otherTown: '440605122',
  heqing: '440605121015',
  yingming: '440605121018',
  dongbi: '440605122001',
  heqingGrids: ['440605121015001001', '440605121015001002'],
  yingmingGrids: ['440605121018001001', '440605121018001002'],
} as const;

export const DIVISIONS_CSV = `code,name,level,parent_code
44,广东省,province,
4406,佛山市,city,44
440605,南海区,county,4406
440605121,九江镇,town,440605
440605121015,河清社区居委会,village,440605121
440605121018,英明社区居委会,village,440605121
440605122,西樵镇,town,440605
440605122001,东碧社区居委会,village,440605122
`;

export function rectangle(west: number, south: number, east: number, north: number): AreaGeometry {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

export function feature(code: string, geometry: AreaGeometry, name?: string) {
  return { type: 'Feature', geometry, properties: { code, ...(name ? { name } : {}) } };
}

/** 河清 covers lon 112.94–112.96, 英明 112.96–112.98, both lat 22.84–22.86; each split west/east. */
export async function seedTerritory(ctx: TestContext): Promise<void> {
  const system = systemActor();
  await ctx.services.territory.importDivisions(system, { csv: DIVISIONS_CSV });
  const village = (code: string, west: number) => [
    feature(code, rectangle(west, 22.84, west + 0.02, 22.86)),
    feature(`${code}001`, rectangle(west, 22.84, west + 0.02, 22.86), '综合网格'),
    feature(`${code}001001`, rectangle(west, 22.84, west + 0.01, 22.86), '第1网格'),
    feature(`${code}001002`, rectangle(west + 0.01, 22.84, west + 0.02, 22.86), '第2网格'),
  ];
  await ctx.services.territory.importBoundaries(system, {
    crs: 'wgs84',
    geojson: {
      type: 'FeatureCollection',
      features: [
        feature(TERRITORY.town, rectangle(112.94, 22.84, 112.98, 22.86)),
        ...village(TERRITORY.heqing, 112.94),
        ...village(TERRITORY.yingming, 112.96),
      ],
    },
  });
}

let userSequence = 0;

export interface TestUser {
  id: number;
  username: string;
  actor: Actor;
}

/** The seed category trees (both, with time limits and default departments), as the demo town loads them. */
export const SEED_CATEGORIES_CSV = readFileSync(
  join(import.meta.dirname, '../db/seed/data/categories.csv'),
  'utf8',
);

/**
 * What the case loop needs besides the territory: the demo town's departments (in 九江镇) and the seed category
 * trees. Returns the departments' ids by code (JJ-HW, JJ-PCS …).
 */
export async function seedCaseReference(ctx: TestContext): Promise<Record<string, number>> {
  const system = systemActor();
  const departments: Record<string, number> = {};
  for (const d of DEMO_DEPARTMENTS) {
    departments[d.code] = (
      await ctx.services.people.createDepartment(system, { ...d, regionCode: TERRITORY.town })
    ).id;
  }
  await ctx.services.categories.importCategories(system, { csv: SEED_CATEGORIES_CSV });
  return departments;
}

/** Creates a user who can log in, and returns the actor services see for them. */
export async function createUser(
  ctx: TestContext,
  options: { role: Role; regionCode: string; departmentId?: number; displayName?: string },
): Promise<TestUser> {
  userSequence++;
  const username = `${options.role}-${userSequence}`;
  const user = await ctx.services.people.createUser(systemActor(), {
    username,
    displayName: options.displayName ?? username,
    role: options.role,
    regionCode: options.regionCode,
    departmentId: options.departmentId ?? null,
    password: PASSWORD,
  });
  const { session } = await ctx.services.auth.login({
    username,
    password: PASSWORD,
    ip: null,
    userAgent: null,
    locale: 'zh-CN',
  });
  return { id: user.id, username, actor: session.actor };
}

export async function createApp(ctx: TestContext): Promise<FastifyInstance> {
  return buildApp({
    services: ctx.services,
    config: ctx.config,
    backend: ctx.database.backend,
    version: 'test',
  });
}

export interface HttpSession {
  cookie: string;
  csrfToken: string;
}

/** The client address `httpLogin` signs in from (TEST-NET-1, never a real client). */
export const HTTP_LOGIN_ADDRESS = '192.0.2.1';

/** Logs in through the API as a browser would, returning the cookie and CSRF token to send back. */
export async function httpLogin(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<HttpSession> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    // Its own address: failed logins that tests send from inject's default address (127.0.0.1) are throttled
    // per address, and must not stop the helper's sign-ins.
    remoteAddress: HTTP_LOGIN_ADDRESS,
    payload: { username, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'gridgov_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `gridgov_session=${cookie.value}`, csrfToken: response.json().csrfToken };
}

/**
 * A real JPEG, as a phone would upload it: `width` × `height` pixels of one colour, with EXIF time and GPS
 * when given (degrees, written as the rational degrees/minutes/seconds cameras use).
 */
export async function samplePhoto(
  options: {
    width?: number;
    height?: number;
    colour?: string;
    takenAt?: string;
    lon?: number;
    lat?: number;
  } = {},
): Promise<Buffer> {
  const dms = (degrees: number) => {
    const abs = Math.abs(degrees);
    const d = Math.floor(abs);
    const m = Math.floor((abs - d) * 60);
    const s = Math.round(((abs - d) * 60 - m) * 60 * 1000);
    return `${d}/1 ${m}/1 ${s}/1000`;
  };
  const exif: Record<string, Record<string, string>> = {};
  if (options.takenAt) exif.IFD2 = { DateTimeOriginal: options.takenAt };
  if (options.lon !== undefined && options.lat !== undefined) {
    exif.IFD3 = {
      GPSLatitudeRef: options.lat >= 0 ? 'N' : 'S',
      GPSLatitude: dms(options.lat),
      GPSLongitudeRef: options.lon >= 0 ? 'E' : 'W',
      GPSLongitude: dms(options.lon),
    };
  }
  const image = sharp({
    create: {
      width: options.width ?? 64,
      height: options.height ?? 48,
      channels: 3,
      background: options.colour ?? '#4a8',
    },
  });
  return (Object.keys(exif).length ? image.withExif(exif) : image).jpeg().toBuffer();
}

/**
 * An active checklist template made through the templates service: each item pass/fail worth `points`, with
 * no photo required (tests insert visits directly). Returns the version and its items' ids by key.
 */
export async function createActiveChecklist(
  ctx: TestContext,
  items: { key: string; points: number; veto?: boolean; siteTypes?: SiteType[] }[],
  code = `test-${++userSequence}`,
): Promise<{ id: number; itemIds: Record<string, number> }> {
  const system = systemActor();
  const created = await ctx.services.inspections.checklists.createTemplate(system, {
    code,
    name: `测试测评表 ${code}`,
    description: '',
    siteTypes: [],
    items: items.map((item) => ({
      key: item.key,
      section: '综合',
      question: `检查项 ${item.key}`,
      points: item.points,
      rule: 'passFail',
      photo: 'never',
      guidance: '',
      siteTypes: item.siteTypes ?? [],
      veto: item.veto ?? false,
      immediate: false,
    })),
    regionCode: TERRITORY.town,
  });
  const active = await ctx.services.inspections.checklists.activateTemplate(
    system,
    created.id,
    created.rowVersion,
  );
  const itemIds = Object.fromEntries(active.sections.flatMap((s) => s.items).map((i) => [i.key, i.id]));
  return { id: active.id, itemIds };
}

/** A draft campaign over `regionCode` organised by `organiser`, with targets added by hand at their points. */
export async function seedCampaign(
  ctx: TestContext,
  organiser: Actor,
  options: {
    templateId: number;
    regionCode: string;
    name?: string;
    covert?: boolean;
    inspectorIds?: number[];
    startsOn?: string;
    endsOn?: string;
    recurrence?: 'once' | 'weekly' | 'monthly';
    targets?: { name: string; siteType: SiteType; lon: number; lat: number }[];
  },
) {
  const campaigns = ctx.services.inspections.campaigns;
  const created = await campaigns.createCampaign(organiser, {
    name: options.name ?? '测试专项检查',
    templateId: options.templateId,
    regionCode: options.regionCode,
    inspectorIds: options.inspectorIds ?? [],
    covert: options.covert ?? false,
    startsOn: options.startsOn ?? '2026-11-23',
    endsOn: options.endsOn ?? '2026-11-30',
    recurrence: options.recurrence ?? 'once',
    signatureRequired: false,
  });
  for (const target of options.targets ?? []) await campaigns.addManualTarget(organiser, created.id, target);
  return campaigns.getCampaign(organiser, created.id);
}
