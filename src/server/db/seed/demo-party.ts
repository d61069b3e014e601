import {
  PARTY_POST_DUTIES,
  PARTY_POST_KIND_LABELS,
  PARTY_POST_KINDS,
  type PartyPostKind,
} from '../../../shared/party.ts';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import type { AreaGeometry } from '../../../shared/territory.ts';
import type { Services } from '../../deps.ts';
import { systemActor } from '../../modules/people/actor.ts';
import { unionGeometries } from '../../modules/territory/boundary-validation.ts';
import type { NewLayerGridRow } from '../../modules/territory/layer-grid.table.ts';
import type { Db } from '../database.ts';
import { createNameSource } from './demo-people.ts';

/*
 * The demo town's party layer (党建网格) and its party members in their posts (设岗定责), after the seed's
 * 九江镇: 27 first-level, 181 second-level and 426 third-level party grids; 562 members in 239 posts. All
 * synthetic. The geometry is derived from the comprehensive grids: a village's party committee grid covers the
 * village (four pairs of neighbouring small villages share one, giving 27 from 31 villages), each branch grid
 * (党支部) a second-level grid, each group grid (党小组) a leaf grid.
 */

export const DEMO_PARTY = { members: 562, posts: 239, grids: [27, 181, 426] } as const;
/** The demo login of a party member of 河清社区, for the field view. */
export const DEMO_PARTY_LOGIN = { username: 'dangyuan', displayName: '河清社区党员（演示）' } as const;

interface GridRow {
  code: string;
  name: string;
  grid_level: number | null;
  parent_code: string | null;
  boundary: AreaGeometry | null;
}

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seq = (n: number) => String(n).padStart(3, '0');
const shortName = (name: string) => name.replace(/居委会$/, '').replace(/村委会$/, '村');

/** Whether two boundaries touch: the demo lattice's neighbours share vertices exactly. */
function touches(a: AreaGeometry, b: AreaGeometry): boolean {
  const key = (p: number[]) => `${p[0]},${p[1]}`;
  const points = (g: AreaGeometry) =>
    (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2) as unknown as number[][];
  const seen = new Set(points(a).map(key));
  return points(b).some((p) => seen.has(key(p)));
}

/**
 * The villages' first-level party grids: one a village, but the smallest villages paired with a touching
 * neighbour until `target` remain.
 */
function groupVillages(
  villages: { code: string; boundary: AreaGeometry; leaves: number }[],
  target: number,
): string[][] {
  const groups = villages.map((v) => [v.code]);
  const byCode = new Map(villages.map((v) => [v.code, v]));
  const bySize = [...villages].sort((a, b) => a.leaves - b.leaves || a.code.localeCompare(b.code));
  for (const small of bySize) {
    if (groups.length <= target) break;
    const own = groups.find((g) => g.includes(small.code));
    if (!own || own.length > 1) continue;
    const partner = groups
      .filter((g) => g.length === 1 && g[0] !== small.code)
      .map((g) => byCode.get(g[0] as string))
      .filter((v): v is (typeof villages)[number] => v !== undefined && touches(v.boundary, small.boundary))
      .sort((a, b) => a.leaves - b.leaves)[0];
    if (!partner) continue;
    groups.splice(groups.indexOf(own), 1);
    const other = groups.find((g) => g[0] === partner.code);
    if (other) other.push(small.code);
  }
  return groups.map((g) => g.sort());
}

/** A synthetic ID number of the town (440605) for a birth date, valid by its check character. */
function idNumberOf(next: () => number, index: number): string {
  const year = 1950 + Math.floor(next() * 50);
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  const first17 = `440605${year}${month}${day}${String(index % 1000).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** Loads the party layer, branches, posts and members of the demo town (its grids and people loaded first). */
export async function loadDemoParty(
  db: Db,
  services: Services,
  options: { townCode: string; seed: number; password: string },
): Promise<{ grids: number[]; branches: number; posts: number; members: number }> {
  const system = systemActor('demo-seed');
  const next = random(options.seed + 35);
  const rows = (await db
    .selectFrom('regions')
    .select(['code', 'name', 'grid_level', 'parent_code', 'boundary', 'level'])
    .where('code', 'like', `${options.townCode}%`)
    .where('level', 'in', ['village', 'grid'])
    .orderBy('code')
    .execute()) as (GridRow & { level: string })[];
  const villages = rows.filter((r) => r.level === 'village' && r.boundary);
  const level2 = rows.filter((r) => r.grid_level === 2);
  const leaves = rows.filter((r) => r.grid_level === 3);
  const villageName = new Map(villages.map((v) => [v.code, shortName(v.name)]));
  const groups = groupVillages(
    villages.map((v) => ({
      code: v.code,
      boundary: v.boundary as AreaGeometry,
      leaves: leaves.filter((l) => l.code.startsWith(v.code)).length,
    })),
    DEMO_PARTY.grids[0],
  );

  const grids: NewLayerGridRow[] = [];
  const level1Of = new Map<string, string>();
  let pairs = 0;
  for (const group of groups) {
    const single = group.length === 1;
    const regionCode = single ? (group[0] as string) : options.townCode;
    const code = `P${regionCode}${seq(single ? 1 : ++pairs)}`;
    const names = group.map((v) => villageName.get(v) ?? v);
    const boundary = single
      ? (villages.find((v) => v.code === group[0])?.boundary ?? null)
      : unionGeometries(group.map((v) => villages.find((x) => x.code === v)?.boundary as AreaGeometry));
    grids.push({
      code,
      kind: 'party',
      name: single ? `${names[0]}党委网格` : `${names.join('·')}联合党委网格`,
      grid_level: 1,
      parent_code: null,
      region_code: regionCode,
      boundary: boundary ? JSON.stringify(boundary) : null,
      synthetic: true,
    });
    for (const v of group) level1Of.set(v, code);
  }
  const level2Code = new Map<string, string>();
  const branchSeq = new Map<string, number>();
  for (const grid of level2) {
    const village = grid.code.slice(0, 12);
    const n = (branchSeq.get(village) ?? 0) + 1;
    branchSeq.set(village, n);
    const code = `P${village}${seq(900 + n)}`;
    level2Code.set(grid.code, code);
    grids.push({
      code,
      kind: 'party',
      name: `${villageName.get(village)}第${n}党支部网格`,
      grid_level: 2,
      parent_code: level1Of.get(village) ?? null,
      region_code: village,
      boundary: grid.boundary ? JSON.stringify(grid.boundary) : null,
      synthetic: true,
    });
  }
  const groupSeq = new Map<string, number>();
  for (const grid of leaves) {
    const parent = level2Code.get(grid.parent_code ?? '') as string;
    const n = (groupSeq.get(parent) ?? 0) + 1;
    groupSeq.set(parent, n);
    grids.push({
      code: `${parent}${seq(n)}`,
      kind: 'party',
      name: `${grids.find((g) => g.code === parent)?.name.replace(/网格$/, '')}第${n}党小组网格`,
      grid_level: 3,
      parent_code: parent,
      region_code: grid.code.slice(0, 12),
      boundary: grid.boundary ? JSON.stringify(grid.boundary) : null,
      synthetic: true,
    });
  }
  await services.territory.createLayerGrids(system, 'party', grids);

  // The party-grid secretary of each committee grid: the village's comprehensive-grid party secretary.
  const secretaries = await db
    .selectFrom('grid_people')
    .select(['grid_code', 'user_id'])
    .where('duty', '=', 'partySecretary')
    .where('grid_code', 'like', `${options.townCode}%`)
    .execute();
  const secretaryOf = new Map(secretaries.map((s) => [s.grid_code.slice(0, 12), s.user_id]));
  const people = groups.flatMap((group) => {
    const userId = secretaryOf.get(group[0] as string);
    const code = level1Of.get(group[0] as string);
    return userId && code ? [{ grid_code: code, user_id: userId, duty: 'partySecretary' as const }] : [];
  });
  if (people.length) await db.insertInto('layer_grid_people').values(people).execute();

  // One branch (党支部) per branch grid; 239 posts over them, every branch at least one; 562 members holding them.
  const branchGrids = grids.filter((g) => g.grid_level === 2);
  const branches = await db
    .insertInto('party_branches')
    .values(
      branchGrids.map((g, i) => ({
        code: `DZB${String(i + 1).padStart(3, '0')}`,
        name: g.name.replace(/网格$/, ''),
        region_code: g.region_code,
        party_grid_code: g.code,
        synthetic: true,
      })),
    )
    .returning(['id', 'region_code', 'party_grid_code', 'name'])
    .execute();
  const postBranches = [...branches];
  while (postBranches.length < DEMO_PARTY.posts)
    postBranches.push(branches[Math.floor(next() * branches.length)] as (typeof branches)[number]);
  const groupGrids = grids.filter((g) => g.grid_level === 3);
  const kindCount = new Map<string, number>();
  const posts = await db
    .insertInto('party_posts')
    .values(
      postBranches.map((branch, i) => {
        const kind = PARTY_POST_KINDS[Math.floor(next() * PARTY_POST_KINDS.length)] as PartyPostKind;
        const inBranch = groupGrids.filter((g) => g.parent_code === branch.party_grid_code);
        const grid = inBranch[Math.floor(next() * inBranch.length)] ?? null;
        const key = `${branch.id}:${kind}`;
        kindCount.set(key, (kindCount.get(key) ?? 0) + 1);
        const n = kindCount.get(key) ?? 1;
        return {
          code: `GW${String(i + 1).padStart(3, '0')}`,
          name: `${branch.name}${PARTY_POST_KIND_LABELS[kind].zh}${n > 1 ? n : ''}`,
          kind,
          duties: PARTY_POST_DUTIES[kind],
          branch_id: branch.id,
          party_grid_code: grid?.code ?? branch.party_grid_code,
          region_code: branch.region_code,
          synthetic: true,
        };
      }),
    )
    .returning(['id', 'branch_id', 'party_grid_code', 'region_code'])
    .execute();
  const holders = [...posts];
  while (holders.length < DEMO_PARTY.members)
    holders.push(posts[Math.floor(next() * posts.length)] as (typeof posts)[number]);

  // The first holder of each post has an account, to report through the field view; so does the demo login.
  const names = createNameSource(options.seed + 35);
  const accounts = new Map<number, number>();
  const heqingPost = posts.find((p) => p.region_code === '440605121015');
  for (const [index, post] of posts.entries()) {
    const demo = post === heqingPost;
    const user = await services.people.createUser(system, {
      username: demo ? DEMO_PARTY_LOGIN.username : `dy${String(index + 1).padStart(4, '0')}`,
      displayName: demo ? DEMO_PARTY_LOGIN.displayName : names.name(),
      role: 'partyMember',
      regionCode: post.region_code,
      ...(demo ? { password: options.password } : {}),
    });
    accounts.set(post.id, user.id);
  }
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'phone'])
    .where('id', 'in', [...accounts.values()])
    .execute();
  const userName = new Map(users.map((u) => [u.id, u.display_name]));
  const branchOf = new Map(posts.map((p) => [p.id, p.branch_id]));
  const members = holders.map((post, index) => {
    const first = index < posts.length;
    const userId = first ? (accounts.get(post.id) ?? null) : null;
    const joined = 1975 + Math.floor(next() * 48);
    return {
      id_number: idNumberOf(next, index),
      name: (userId ? userName.get(userId) : undefined) ?? names.name(),
      phone: names.phone(),
      branch_id: branchOf.get(post.id) as number,
      party_grid_code: post.party_grid_code,
      post_id: post.id,
      user_id: userId,
      region_code: post.region_code,
      joined_on: `${joined}-07-01`,
      synthetic: true,
    };
  });
  // ID numbers drawn at random could repeat: a repeat takes the next free sequence number.
  const used = new Set<string>();
  for (const [index, member] of members.entries()) {
    let n = index;
    while (used.has(member.id_number)) {
      n += 1000;
      member.id_number = idNumberOf(next, n);
    }
    used.add(member.id_number);
  }
  await db.insertInto('party_members').values(members).execute();
  return {
    grids: DEMO_PARTY.grids.map((_, i) => grids.filter((g) => g.grid_level === i + 1).length),
    branches: branches.length,
    posts: posts.length,
    members: members.length,
  };
}
