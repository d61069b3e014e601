import { type ExpressionBuilder, sql } from 'kysely';
import type { PartyFigureGroup, PartyOutcome } from '../../../shared/party.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import type { Database } from '../../db/schema.ts';
import { regionCondition, type Scope } from '../people/scope.ts';

export interface MemberFilter {
  scope: Scope;
  branchId?: number | undefined;
  postId?: number | undefined;
  gridCode?: string | undefined;
  q?: string | undefined;
}

/** A party grid filter takes the grid and its sub-grids: their codes extend it, or name it as their parent. */
function gridCondition(eb: ExpressionBuilder<Database, 'party_members'>, code: string) {
  return eb.or([
    eb('party_members.party_grid_code', '=', code),
    eb(
      'party_members.party_grid_code',
      'in',
      eb.selectFrom('layer_grids').select('code').where('parent_code', '=', code),
    ),
  ]);
}

function membersQuery(db: Db, filter: MemberFilter) {
  let query = db
    .selectFrom('party_members')
    .where((eb) => regionCondition(eb, 'party_members.region_code', filter.scope));
  if (filter.branchId) query = query.where('party_members.branch_id', '=', filter.branchId);
  if (filter.postId) query = query.where('party_members.post_id', '=', filter.postId);
  if (filter.gridCode) {
    const code = filter.gridCode;
    query = query.where((eb) => gridCondition(eb, code));
  }
  if (filter.q) query = query.where('party_members.name', 'like', likeContaining(filter.q));
  return query;
}

export async function listMembers(db: Db, filter: MemberFilter, page: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    membersQuery(db, filter)
      .innerJoin('party_branches as b', 'b.id', 'party_members.branch_id')
      .innerJoin('regions as r', 'r.code', 'party_members.region_code')
      .leftJoin('party_posts as p', 'p.id', 'party_members.post_id')
      .leftJoin('layer_grids as g', 'g.code', 'party_members.party_grid_code')
      .selectAll('party_members')
      .select([
        'b.code as branch_code',
        'b.name as branch_name',
        'r.name as region_name',
        'p.code as post_code',
        'p.name as post_name',
        'p.kind as post_kind',
        'g.name as grid_name',
        (eb) =>
          eb
            .selectFrom('party_case_reports as c')
            .whereRef('c.member_id', '=', 'party_members.id')
            .select(eb.fn.countAll<string>().as('n'))
            .as('issues'),
      ])
      .orderBy('party_members.region_code')
      .orderBy('party_members.branch_id')
      .orderBy('party_members.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    membersQuery(db, filter)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function findMember(db: Db, id: number) {
  return db.selectFrom('party_members').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMemberByUser(db: Db, userId: number) {
  return db
    .selectFrom('party_members')
    .select(['id', 'post_id', 'region_code'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function listPosts(db: Db, filter: MemberFilter) {
  let query = db
    .selectFrom('party_posts as p')
    .innerJoin('party_branches as b', 'b.id', 'p.branch_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('layer_grids as g', 'g.code', 'p.party_grid_code')
    .selectAll('p')
    .select([
      'b.name as branch_name',
      'r.name as region_name',
      'g.name as grid_name',
      (eb) =>
        eb
          .selectFrom('party_case_reports as c')
          .whereRef('c.post_id', '=', 'p.id')
          .select(eb.fn.countAll<string>().as('n'))
          .as('issues'),
    ])
    .where((eb) => regionCondition(eb, 'p.region_code', filter.scope));
  if (filter.branchId) query = query.where('p.branch_id', '=', filter.branchId);
  if (filter.postId) query = query.where('p.id', '=', filter.postId);
  if (filter.gridCode) {
    const code = filter.gridCode;
    query = query.where((eb) =>
      eb.or([
        eb('p.party_grid_code', '=', code),
        eb(
          'p.party_grid_code',
          'in',
          eb.selectFrom('layer_grids').select('code').where('parent_code', '=', code),
        ),
      ]),
    );
  }
  const posts = await query.orderBy('p.region_code').orderBy('p.code').limit(500).execute();
  const holders = posts.length
    ? await db
        .selectFrom('party_members')
        .select(['id', 'name', 'post_id'])
        .where(
          'post_id',
          'in',
          posts.map((p) => p.id),
        )
        .orderBy('id')
        .execute()
    : [];
  return { posts, holders };
}

/** Per group key (branch id, party grid code or post id): members, posts, posts filled, issues by outcome. */
export async function figures(db: Db, scope: Scope, by: PartyFigureGroup) {
  const memberKey = { branch: 'm.branch_id', grid: 'm.party_grid_code', post: 'm.post_id' }[by];
  const postKey = { branch: 'p.branch_id', grid: 'p.party_grid_code', post: 'p.id' }[by];
  const [members, posts, issues] = await Promise.all([
    db
      .selectFrom('party_members as m')
      .select([sql<string>`${sql.ref(memberKey)}::text`.as('key'), (eb) => eb.fn.countAll<string>().as('n')])
      .where((eb) => regionCondition(eb, 'm.region_code', scope))
      .groupBy(sql.ref(memberKey))
      .execute(),
    db
      .selectFrom('party_posts as p')
      .select([
        sql<string>`${sql.ref(postKey)}::text`.as('key'),
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`count(*) filter (where exists (select 1 from party_members h where h.post_id = p.id))`.as(
          'filled',
        ),
      ])
      .where((eb) => regionCondition(eb, 'p.region_code', scope))
      .groupBy(sql.ref(postKey))
      .execute(),
    db
      .selectFrom('party_case_reports as r')
      .innerJoin('party_members as m', 'm.id', 'r.member_id')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .select([
        sql<string>`${sql.ref(by === 'post' ? 'r.post_id' : memberKey)}::text`.as('key'),
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`count(*) filter (where c.state = 'closed')`.as('closed'),
        sql<string>`count(*) filter (where c.state in ('rejected', 'merged'))`.as('rejected'),
        sql<boolean>`bool_or(m.synthetic)`.as('synthetic'),
      ])
      .where((eb) => regionCondition(eb, 'r.region_code', scope))
      .groupBy(sql.ref(by === 'post' ? 'r.post_id' : memberKey))
      .execute(),
  ]);
  return { members, posts, issues };
}

export async function branchNames(db: Db, ids: readonly number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('party_branches as b')
    .innerJoin('regions as r', 'r.code', 'b.region_code')
    .select(['b.id', 'b.code', 'b.name', 'r.name as region_name'])
    .where('b.id', 'in', ids)
    .execute();
}

export async function postNames(db: Db, ids: readonly number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('party_posts as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select(['p.id', 'p.code', 'p.name', 'r.name as region_name'])
    .where('p.id', 'in', ids)
    .execute();
}

export async function gridNames(db: Db, codes: readonly string[]) {
  if (!codes.length) return [];
  return db
    .selectFrom('layer_grids as g')
    .innerJoin('regions as r', 'r.code', 'g.region_code')
    .select(['g.code', 'g.name', 'r.name as region_name'])
    .where('g.code', 'in', codes)
    .execute();
}

export interface ReportFilter extends MemberFilter {
  memberId?: number | undefined;
  outcome?: PartyOutcome | undefined;
}

export async function listReports(db: Db, filter: ReportFilter, page: { limit: number; offset: number }) {
  let query = db
    .selectFrom('party_case_reports as r')
    .innerJoin('party_members', 'party_members.id', 'r.member_id')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .where((eb) => regionCondition(eb, 'r.region_code', filter.scope));
  if (filter.branchId) query = query.where('party_members.branch_id', '=', filter.branchId);
  if (filter.postId) query = query.where('r.post_id', '=', filter.postId);
  if (filter.memberId) query = query.where('r.member_id', '=', filter.memberId);
  if (filter.gridCode) {
    const code = filter.gridCode;
    query = query.where((eb) => gridCondition(eb, code));
  }
  if (filter.outcome === 'closed') query = query.where('c.state', '=', 'closed');
  if (filter.outcome === 'rejected') query = query.where('c.state', 'in', ['rejected', 'merged']);
  if (filter.outcome === 'open') query = query.where('c.state', 'not in', ['closed', 'rejected', 'merged']);
  const [items, total] = await Promise.all([
    query
      .innerJoin('regions as g', 'g.code', 'c.region_code')
      .leftJoin('party_posts as p', 'p.id', 'r.post_id')
      .select([
        'c.id',
        'c.case_number',
        'c.description',
        'c.state',
        'c.region_code',
        'g.name as region_name',
        'r.reported_at',
        'party_members.id as member_id',
        'party_members.name as member_name',
        'p.id as post_id',
        'p.name as post_name',
      ])
      .orderBy('r.reported_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function insertCaseReport(
  db: Db,
  row: { case_id: number; member_id: number; post_id: number | null; region_code: string; reported_at: Date },
) {
  await db
    .insertInto('party_case_reports')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Whether the members are the demo's synthetic ones (the page says so). */
export async function anySynthetic(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('party_members')
    .select('id')
    .where('synthetic', '=', true)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** What an import of members refers to: their branches and posts, the members already there, and residents. */
export async function importLookups(
  db: Db,
  keys: { branchCodes: string[]; postCodes: string[]; idNumbers: string[] },
) {
  const [branches, posts, existing, residents] = await Promise.all([
    db
      .selectFrom('party_branches')
      .select(['id', 'code', 'region_code', 'party_grid_code'])
      .where('code', 'in', keys.branchCodes)
      .execute(),
    keys.postCodes.length
      ? db
          .selectFrom('party_posts')
          .select(['id', 'code', 'branch_id', 'party_grid_code'])
          .where('code', 'in', keys.postCodes)
          .execute()
      : [],
    db
      .selectFrom('party_members')
      .select(['id', 'id_number'])
      .where('id_number', 'in', keys.idNumbers)
      .execute(),
    // Members who live in the town are linked to their resident record by ID number.
    db
      .selectFrom('registry_residents')
      .select(['id', 'id_number'])
      .where('id_number', 'in', keys.idNumbers)
      .execute(),
  ]);
  return { branches, posts, existing, residents };
}

export interface NewPartyMember {
  id_number: string;
  name: string;
  phone: string | null;
  branch_id: number;
  post_id: number | null;
  party_grid_code: string | null;
  region_code: string;
  resident_id: number | null;
  joined_on: string | null;
}

/** Writes imported members: new ones inserted, those with a known ID number updated. */
export async function upsertMembers(db: Db, rows: readonly NewPartyMember[], now: Date): Promise<void> {
  await db
    .insertInto('party_members')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('id_number').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        phone: eb.ref('excluded.phone'),
        branch_id: eb.ref('excluded.branch_id'),
        post_id: eb.ref('excluded.post_id'),
        party_grid_code: eb.ref('excluded.party_grid_code'),
        region_code: eb.ref('excluded.region_code'),
        resident_id: eb.ref('excluded.resident_id'),
        joined_on: eb.ref('excluded.joined_on'),
        updated_at: now,
      })),
    )
    .execute();
}

/**
 * Links members not yet linked to the registry's residents, and answers how many of each way:
 * - `byIdNumber`: any member whose ID number is a resident's (a member imported before the registry was);
 * - `picked`: each synthetic (demo) member still unlinked takes an adult resident of their village, in a fixed
 *   order (members by id, residents by id), no resident twice, and becomes that resident: their name and ID
 *   number are the resident's, so the member list, the registry and the audit trail tell one story.
 * Idempotent: a linked member is never looked at again.
 */
export async function linkMembersToResidents(
  db: Db,
  options: { bornBy: string; now: Date },
): Promise<{ byIdNumber: number; picked: number }> {
  const byIdNumber = await sql<{ id: number }>`
    update party_members p set resident_id = r.id, updated_at = ${options.now}
    from registry_residents r
    where p.resident_id is null and r.id_number = p.id_number
    returning p.id`.execute(db);
  const picked = await sql<{ id: number }>`
    with members as (
      select id, left(region_code, 12) as village,
        row_number() over (partition by left(region_code, 12) order by id) as n
      from party_members
      where resident_id is null and synthetic
    ),
    residents as (
      select r.id, r.name, r.id_number, left(r.region_code, 12) as village,
        row_number() over (partition by left(r.region_code, 12) order by r.id) as n
      from registry_residents r
      where r.birth_date <= ${options.bornBy}
        and left(r.region_code, 12) in (select village from members)
        and not exists (select 1 from party_members p where p.resident_id = r.id or p.id_number = r.id_number)
    )
    update party_members p
    set resident_id = r.id, name = r.name, id_number = r.id_number, updated_at = ${options.now}
    from members m join residents r on r.village = m.village and r.n = m.n
    where p.id = m.id
    returning p.id`.execute(db);
  return { byIdNumber: byIdNumber.rows.length, picked: picked.rows.length };
}
