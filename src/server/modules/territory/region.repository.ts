import { sql } from 'kysely';
import type { GridDuty } from '../../../shared/roles.ts';
import type { AreaGeometry } from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { likeContaining } from '../../db/like.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { NewRegionRow, RegionRow } from './region.table.ts';

export type RegionWithCount = RegionRow & { child_count: number };

export async function findRegion(db: Db, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findRegions(db: Db, codes: readonly string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('regions').selectAll().where('code', 'in', codes).execute();
}

/** Ancestors are exactly the regions whose codes are proper prefixes of this one, root first. */
export async function listAncestors(db: Db, code: string): Promise<RegionRow[]> {
  const prefixes: string[] = [];
  for (let length = 2; length < code.length; length++) prefixes.push(code.slice(0, length));
  const rows = await findRegions(db, prefixes);
  return rows.sort((a, b) => a.code.length - b.code.length);
}

export async function listChildren(db: Db, parentCode: string): Promise<RegionWithCount[]> {
  return db
    .selectFrom('regions')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('regions as c')
        .whereRef('c.parent_code', '=', 'regions.code')
        .select(eb.fn.countAll<number>().as('n'))
        .as('child_count'),
    )
    .where('parent_code', '=', parentCode)
    .orderBy('code')
    .execute() as Promise<RegionWithCount[]>;
}

export interface SubtreeFilter {
  /** The regions to list: a subtree of the region tree, or nothing. */
  scope: Scope;
  maxCodeLength?: number;
  level?: RegionRow['level'];
  gridLevel?: number;
  leafGridsOnly?: boolean;
  withBoundary?: boolean;
}

export async function listSubtree(db: Db, filter: SubtreeFilter): Promise<RegionWithCount[]> {
  let query = db
    .selectFrom('regions')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('regions as c')
        .whereRef('c.parent_code', '=', 'regions.code')
        .select(eb.fn.countAll<number>().as('n'))
        .as('child_count'),
    )
    .where((eb) => regionCondition(eb, 'code', filter.scope));
  if (filter.maxCodeLength) query = query.where(sql<number>`length(code)`, '<=', filter.maxCodeLength);
  if (filter.level) query = query.where('level', '=', filter.level);
  if (filter.gridLevel) query = query.where('grid_level', '=', filter.gridLevel);
  if (filter.withBoundary) query = query.where('boundary', 'is not', null);
  if (filter.leafGridsOnly) {
    query = query
      .where('level', '=', 'grid')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'regions.code')),
        ),
      );
  }
  return query.orderBy('code').execute() as Promise<RegionWithCount[]>;
}

/**
 * The first and last grid code (before any grid is drawn: region code) in code order. Codes extend their
 * parent's, so a scope holding both holds every grid in between: the whole governed territory.
 */
export async function findGovernedCodeRange(db: Db): Promise<{ first: string; last: string } | undefined> {
  for (const gridsOnly of [true, false]) {
    let query = db
      .selectFrom('regions')
      .select((eb) => [eb.fn.min('code').as('first'), eb.fn.max('code').as('last')]);
    if (gridsOnly) query = query.where('level', '=', 'grid');
    const row = await query.executeTakeFirst();
    if (row?.first && row.last) return { first: row.first, last: row.last };
  }
  return undefined;
}

/** Leaf grids with boundaries across the whole database: the locator's input. */
export async function listLeafGridBoundaries(db: Db): Promise<{ code: string; boundary: AreaGeometry }[]> {
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'boundary'])
    .where('level', '=', 'grid')
    .where('boundary', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('regions as c').select('c.code').whereRef('c.parent_code', '=', 'regions.code'))),
    )
    .execute();
  return rows as { code: string; boundary: AreaGeometry }[];
}

export async function insertRegion(db: Db, row: NewRegionRow): Promise<void> {
  await db.insertInto('regions').values(row).execute();
}

export async function updateRegionName(db: Db, code: string, name: string): Promise<void> {
  await db
    .updateTable('regions')
    .set({ name, version: sql`version + 1`, updated_at: sql`now()` })
    .where('code', '=', code)
    .execute();
}

export async function renameRegionAtVersion(
  db: Db,
  code: string,
  version: number,
  name: string,
): Promise<boolean> {
  const result = await db
    .updateTable('regions')
    .set({ name, version: sql`version + 1`, updated_at: sql`now()` })
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function bumpRegionVersion(db: Db, code: string, version: number): Promise<boolean> {
  const result = await db
    .updateTable('regions')
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setRegionBoundary(
  db: Db,
  code: string,
  boundary: AreaGeometry | null,
  synthetic: boolean,
): Promise<void> {
  await db
    .updateTable('regions')
    .set({
      boundary: boundary ? JSON.stringify(boundary) : null,
      synthetic,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('code', '=', code)
    .execute();
}

/** Leaf grids whose grid worker the user is. */
export async function gridsOfWorker(db: Db, userId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('grid_people')
    .select('grid_code')
    .where('user_id', '=', userId)
    .where('duty', '=', 'gridWorker')
    .execute();
  return rows.map((r) => r.grid_code);
}

export interface GridPersonWithUser {
  grid_code: string;
  user_id: number;
  duty: GridDuty;
  display_name: string;
  phone: string | null;
}

export async function listGridPeople(db: Db, gridCodes: readonly string[]): Promise<GridPersonWithUser[]> {
  if (gridCodes.length === 0) return [];
  return db
    .selectFrom('grid_people')
    .innerJoin('users', 'users.id', 'grid_people.user_id')
    .select([
      'grid_people.grid_code',
      'grid_people.user_id',
      'grid_people.duty',
      'users.display_name',
      'users.phone',
    ])
    .where('grid_people.grid_code', 'in', gridCodes)
    .orderBy('grid_people.duty')
    .orderBy('users.display_name')
    .execute();
}

export async function replaceGridPeople(
  db: Db,
  gridCode: string,
  people: readonly { userId: number; duty: GridDuty }[],
): Promise<void> {
  await db.deleteFrom('grid_people').where('grid_code', '=', gridCode).execute();
  if (people.length === 0) return;
  await db
    .insertInto('grid_people')
    .values(people.map((p) => ({ grid_code: gridCode, user_id: p.userId, duty: p.duty })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

const TERRITORY_REVISION = 'territory.revision';

/** A counter bumped on every boundary change; each server process rebuilds its locator when it moves. */
export async function readTerritoryRevision(db: Db): Promise<number> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', TERRITORY_REVISION)
    .executeTakeFirst();
  return typeof row?.value === 'number' ? row.value : 0;
}

export async function bumpTerritoryRevision(db: Db): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: TERRITORY_REVISION, value: '1' })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: sql`to_jsonb(coalesce(settings.value::text::int, 0) + 1)` }),
    )
    .execute();
}

/** The first region without a parent: the root of the tree, when there is one. */
export async function findFirstRoot(db: Db): Promise<RegionRow | undefined> {
  return db
    .selectFrom('regions')
    .selectAll()
    .where('parent_code', 'is', null)
    .orderBy('code')
    .executeTakeFirst();
}

/**
 * The scope (region) of each named user, for checking that people put in charge of a grid belong to it. The
 * users table is the people module's; this read of two columns keeps territory from depending on people, which
 * depends on territory.
 */
export async function findUserRegions(
  db: Db,
  ids: readonly number[],
): Promise<{ id: number; region_code: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'region_code']).where('id', 'in', ids).execute();
}

/** Villages and grids in the scope whose name holds the text, villages first, with their boundary. */
export async function searchRegionsByName(
  db: Db,
  options: { scope: Scope; text: string; limit: number },
): Promise<RegionRow[]> {
  return db
    .selectFrom('regions')
    .selectAll()
    .where('level', 'in', ['village', 'grid'])
    .where('name', 'like', likeContaining(options.text))
    .where((eb) => regionCondition(eb, 'code', options.scope))
    .orderBy(sql`level = 'grid'`)
    .orderBy(sql`length(name)`)
    .orderBy('code')
    .limit(options.limit)
    .execute();
}
