import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { AppError } from '../../errors.ts';
import { createUser, seedTerritory, TERRITORY, type TestUser } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from './actor.ts';
import { REGIONLESS_ROLES } from './scope.ts';

/**
 * The role × scope matrix: every role attached to a village, to a town and to another town, asked to read
 * and change things inside and outside its subtree. Reads follow the scope for every role; changes to
 * territory and people need the administrator role and the scope.
 */
async function outcome(
  work: Promise<unknown>,
): Promise<'ok' | 'FORBIDDEN_SCOPE' | 'FORBIDDEN_ROLE' | string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('data scope and roles', () => {
  let ctx: TestContext;
  const users = new Map<string, TestUser>();
  const key = (role: Role, scope: string) => `${role}@${scope}`;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    for (const role of ROLES) {
      for (const scope of [TERRITORY.heqing, TERRITORY.town, TERRITORY.otherTown]) {
        users.set(key(role, scope), await createUser(ctx, { role, regionCode: scope }));
      }
    }
  });
  afterAll(() => ctx.close());

  const heqingGrid = TERRITORY.heqingGrids[0];
  const yingmingGrid = TERRITORY.yingmingGrids[0];

  it.each(ROLES.filter((role) => !REGIONLESS_ROLES.includes(role)))(
    '%s: reads follow the scope',
    async (role) => {
      const { territory } = ctx.services;
      const villageUser = users.get(key(role, TERRITORY.heqing))?.actor;
      const townUser = users.get(key(role, TERRITORY.town))?.actor;
      const otherTownUser = users.get(key(role, TERRITORY.otherTown))?.actor;
      if (!villageUser || !townUser || !otherTownUser) throw new Error('missing fixture');
      expect(await outcome(territory.getRegionDetail(villageUser, heqingGrid))).toBe('ok');
      expect(await outcome(territory.getRegionDetail(villageUser, yingmingGrid))).toBe('FORBIDDEN_SCOPE');
      expect(await outcome(territory.getRegionDetail(villageUser, TERRITORY.town))).toBe('FORBIDDEN_SCOPE');
      expect(await outcome(territory.getRegionDetail(townUser, yingmingGrid))).toBe('ok');
      expect(await outcome(territory.getRegionDetail(otherTownUser, heqingGrid))).toBe('FORBIDDEN_SCOPE');
      expect(await outcome(territory.locate(villageUser, 112.965, 22.85))).toBe('FORBIDDEN_SCOPE');
      expect(await outcome(territory.locate(townUser, 112.965, 22.85))).toBe('ok');

      const villageMap = await territory.listGridFeatures(villageUser, { level: 'leaf' });
      expect(villageMap.features.map((f) => f.properties.code).sort()).toEqual([...TERRITORY.heqingGrids]);
      const townMap = await territory.listGridFeatures(townUser, { level: 'leaf' });
      expect(townMap.features).toHaveLength(4);
      const otherTownMap = await territory.listGridFeatures(otherTownUser, { level: 'leaf' });
      expect(otherTownMap.features).toHaveLength(0);
    },
  );

  it.each(REGIONLESS_ROLES)('%s: reads no region, whatever region the account names', async (role) => {
    const { territory } = ctx.services;
    const townUser = users.get(key(role, TERRITORY.town))?.actor;
    if (!townUser) throw new Error('missing fixture');
    expect(await outcome(territory.getRegionDetail(townUser, TERRITORY.heqingGrids[0]))).toBe(
      'FORBIDDEN_SCOPE',
    );
    expect((await territory.listGridFeatures(townUser, { level: 'leaf' })).features).toHaveLength(0);
  });

  it.each(ROLES)(
    '%s: changing grids and people needs the administrator role inside the scope',
    async (role) => {
      const { territory, people } = ctx.services;
      const villageUser = users.get(key(role, TERRITORY.heqing));
      const townUser = users.get(key(role, TERRITORY.town));
      if (!villageUser || !townUser) throw new Error('missing fixture');
      const version = async (code: string) => (await territory.getRegionDetail(systemActor(), code)).version;
      const setPeople = async (actor: TestUser, code: string) =>
        outcome(
          territory.setGridPeople(actor.actor, {
            code,
            version: await version(code),
            people: [{ userId: villageUser.id, duty: 'gridWorker' }],
          }),
        );
      const expectedInScope = role === 'administrator' ? 'ok' : 'FORBIDDEN_ROLE';
      expect(await setPeople(villageUser, heqingGrid)).toBe(expectedInScope);
      expect(await setPeople(townUser, heqingGrid)).toBe(expectedInScope);
      expect(await setPeople(villageUser, yingmingGrid)).toBe(
        role === 'administrator' ? 'FORBIDDEN_SCOPE' : 'FORBIDDEN_ROLE',
      );

      const newUser = (regionCode: string) =>
        outcome(
          people.createUser(villageUser.actor, {
            username: `made-by-${role}-${regionCode}`,
            displayName: 'x',
            role: 'gridWorker',
            regionCode,
          }),
        );
      expect(await newUser(TERRITORY.heqing)).toBe(expectedInScope);
      // No one grants more than they have: a village administrator cannot create a town-wide user.
      expect(await newUser(TERRITORY.town)).toBe(
        role === 'administrator' ? 'FORBIDDEN_SCOPE' : 'FORBIDDEN_ROLE',
      );
    },
  );

  it('an administrator lists only the users of the own subtree', async () => {
    const admin = users.get(key('administrator', TERRITORY.heqing));
    if (!admin) throw new Error('missing fixture');
    const { items } = await ctx.services.people.listUsers(admin.actor, { page: 1, pageSize: 200 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((u) => u.regionCode.startsWith(TERRITORY.heqing))).toBe(true);
    const townAdmin = users.get(key('administrator', TERRITORY.town));
    const townList = await ctx.services.people.listUsers(townAdmin?.actor ?? systemActor(), {
      page: 1,
      pageSize: 200,
    });
    expect(townList.items.some((u) => u.regionCode === TERRITORY.town)).toBe(true);
    expect(townList.items.some((u) => u.regionCode === TERRITORY.otherTown)).toBe(false);
  });

  it('a grid worker of 河清 asking for a grid of 英明 is told which grid and which scope', async () => {
    const worker = users.get(key('gridWorker', TERRITORY.heqing));
    const error = await ctx.services.territory
      .getRegionDetail(worker?.actor ?? systemActor(), yingmingGrid)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).params).toMatchObject({
      target: { zh: `第1网格（${yingmingGrid}）`, en: `第1网格 (${yingmingGrid})` },
      scope: '河清社区居委会',
    });
  });
});
