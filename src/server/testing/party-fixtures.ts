import { idNumberCheckChar } from '../../shared/registry-validation.ts';
import { systemActor } from '../modules/people/actor.ts';
import { createUser, rectangle, TERRITORY } from './factories.ts';
import type { TestContext } from './test-database.ts';

/** Test helpers of the party layer: 河清's party grids, branch, post and member, and a member's report. */

export const PARTY_MARKERS = {
  partyGrid: '河清党建秘密网格',
  partyBranch: '河清秘密党支部',
  partyPost: '河清秘密岗位',
  partyMember: '河清党员甄秘',
  partyMemberPhone: '13700990015',
  partyReport: '河清党员机密上报',
} as const;

const first17 = '44060519700701991';
export const PARTY_MEMBER_ID_NUMBER = `${first17}${idNumberCheckChar(first17)}`;

/**
 * 河清's party layer over its two test grids (P…001 the village, P…901 a branch grid, P…901001/002 the group
 * grids), a branch and a post, a member with an account, and a case the member reported. Returns the ids the
 * scope walk fills paths with.
 */
export async function seedPartyScope(ctx: TestContext, categoryId: number) {
  const system = systemActor();
  const db = ctx.database.db;
  const heqing = TERRITORY.heqing;
  const level1 = `P${heqing}001`;
  const level2 = `P${heqing}901`;
  const grid = (
    code: string,
    level: number,
    parent: string | null,
    west: number,
    east: number,
    name: string,
  ) => ({
    code,
    kind: 'party' as const,
    name,
    grid_level: level,
    parent_code: parent,
    region_code: heqing,
    boundary: JSON.stringify(rectangle(west, 22.84, east, 22.86)),
  });
  await ctx.services.territory.createLayerGrids(system, 'party', [
    grid(level1, 1, null, 112.94, 112.96, `${PARTY_MARKERS.partyGrid}一级`),
    grid(level2, 2, level1, 112.94, 112.96, `${PARTY_MARKERS.partyGrid}二级`),
    grid(`${level2}001`, 3, level2, 112.94, 112.95, PARTY_MARKERS.partyGrid),
    grid(`${level2}002`, 3, level2, 112.95, 112.96, `${PARTY_MARKERS.partyGrid}乙`),
  ]);
  const branch = await db
    .insertInto('party_branches')
    .values({ code: 'HQ-DZB', name: PARTY_MARKERS.partyBranch, region_code: heqing, party_grid_code: level2 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const post = await db
    .insertInto('party_posts')
    .values({
      code: 'HQ-GW',
      name: PARTY_MARKERS.partyPost,
      kind: 'environmentSupervisor',
      duties: PARTY_MARKERS.partyPost,
      branch_id: branch.id,
      party_grid_code: `${level2}001`,
      region_code: heqing,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const account = await createUser(ctx, {
    role: 'partyMember',
    regionCode: heqing,
    displayName: PARTY_MARKERS.partyMember,
  });
  const member = await db
    .insertInto('party_members')
    .values({
      id_number: PARTY_MEMBER_ID_NUMBER,
      name: PARTY_MARKERS.partyMember,
      phone: PARTY_MARKERS.partyMemberPhone,
      branch_id: branch.id,
      party_grid_code: `${level2}001`,
      post_id: post.id,
      user_id: account.id,
      region_code: heqing,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reported = await ctx.services.cases.reportCase(account.actor, {
    categoryId,
    description: PARTY_MARKERS.partyReport,
    regionCode: TERRITORY.heqingGrids[0],
  });
  return {
    'layer-grids': `${level2}001`,
    'grid-layers': 'party',
    members: String(member.id),
    partyCaseId: String(reported.id),
  };
}

/**
 * `count` synthetic (demo) party members of a branch of `village`, with made-up ID numbers no resident has:
 * what the demo seed leaves before the registry is loaded. Returns their ids.
 */
export async function seedSyntheticMembers(ctx: TestContext, village: string, count: number) {
  const db = ctx.database.db;
  const branch = await db
    .insertInto('party_branches')
    .values({ code: `SYN-${village}`, name: '演示党支部', region_code: village, party_grid_code: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, i) => {
    const first17 = `11010119600101${String(100 + i).padStart(3, '0')}`;
    return {
      id_number: `${first17}${idNumberCheckChar(first17)}`,
      name: `演示党员${i + 1}`,
      phone: null,
      branch_id: branch.id,
      party_grid_code: null,
      post_id: null,
      user_id: null,
      region_code: village,
      synthetic: true,
    };
  });
  const inserted = await db.insertInto('party_members').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

/** The members' resident links, names and ID numbers, with the linked resident's, by member id. */
export async function memberResidentLinks(ctx: TestContext, ids: readonly number[]) {
  return ctx.database.db
    .selectFrom('party_members as p')
    .leftJoin('registry_residents as r', 'r.id', 'p.resident_id')
    .select([
      'p.id',
      'p.name',
      'p.id_number',
      'r.name as resident_name',
      'r.id_number as resident_id_number',
      'r.region_code as resident_region',
      'r.birth_date',
    ])
    .where('p.id', 'in', [...ids])
    .orderBy('p.id')
    .execute();
}
