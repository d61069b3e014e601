import { sql } from 'kysely';
import type { GridDuty } from '../../../shared/roles.ts';
import type { AreaGeometry, LayerGridKind } from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { regionCondition, type Scope } from '../people/scope.ts';
import type { LayerGridRow, NewLayerGridRow } from './layer-grid.table.ts';

export type LayerGridWithRegion = LayerGridRow & { region_name: string; child_count: number };

/** Layer grids with the name of the region holding each and their number of children. */
function selectLayerGrids(db: Db) {
  return db
    .selectFrom('layer_grids')
    .innerJoin('regions', 'regions.code', 'layer_grids.region_code')
    .selectAll('layer_grids')
    .select('regions.name as region_name')
    .select((eb) =>
      eb
        .selectFrom('layer_grids as c')
        .whereRef('c.parent_code', '=', 'layer_grids.code')
        .select(eb.fn.countAll<number>().as('n'))
        .as('child_count'),
    );
}

export interface LayerGridFilter {
  kind: LayerGridKind;
  scope: Scope;
  gridLevel?: number | undefined;
  leavesOnly?: boolean;
  withBoundary?: boolean;
}

export async function listLayerGrids(db: Db, filter: LayerGridFilter): Promise<LayerGridWithRegion[]> {
  let query = selectLayerGrids(db)
    .where('layer_grids.kind', '=', filter.kind)
    .where((eb) => regionCondition(eb, 'layer_grids.region_code', filter.scope));
  if (filter.gridLevel) query = query.where('layer_grids.grid_level', '=', filter.gridLevel);
  if (filter.withBoundary) query = query.where('layer_grids.boundary', 'is not', null);
  if (filter.leavesOnly) {
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('layer_grids as c').select('c.code').whereRef('c.parent_code', '=', 'layer_grids.code'),
        ),
      ),
    );
  }
  return query.orderBy('layer_grids.code').execute() as Promise<LayerGridWithRegion[]>;
}

export async function findLayerGrids(db: Db, codes: readonly string[]): Promise<LayerGridWithRegion[]> {
  if (codes.length === 0) return [];
  return selectLayerGrids(db).where('layer_grids.code', 'in', codes).execute() as Promise<
    LayerGridWithRegion[]
  >;
}

/** Grids of the kind per level inside the scope. */
export async function countLayerGrids(
  db: Db,
  kind: LayerGridKind,
  scope: Scope,
): Promise<{ grid_level: number; n: number }[]> {
  const rows = await db
    .selectFrom('layer_grids')
    .select(['grid_level', (eb) => eb.fn.countAll<string>().as('n')])
    .where('kind', '=', kind)
    .where((eb) => regionCondition(eb, 'region_code', scope))
    .groupBy('grid_level')
    .orderBy('grid_level')
    .execute();
  return rows.map((r) => ({ grid_level: r.grid_level, n: Number(r.n) }));
}

/** Leaf grids of every layer with boundaries, across the whole database: the layer locators' input. */
export async function listLayerLeafBoundaries(
  db: Db,
): Promise<{ code: string; kind: LayerGridKind; boundary: AreaGeometry }[]> {
  const rows = await db
    .selectFrom('layer_grids')
    .select(['code', 'kind', 'boundary'])
    .where('boundary', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('layer_grids as c').select('c.code').whereRef('c.parent_code', '=', 'layer_grids.code'),
        ),
      ),
    )
    .execute();
  return rows as { code: string; kind: LayerGridKind; boundary: AreaGeometry }[];
}

/** A grid's ancestors in its own layer, root first. */
export async function listLayerAncestors(db: Db, code: string): Promise<LayerGridWithRegion[]> {
  const found: LayerGridWithRegion[] = [];
  let parent = (await findLayerGrids(db, [code]))[0]?.parent_code ?? null;
  // Three levels at most: a loop of at most two reads.
  while (parent) {
    const row = (await findLayerGrids(db, [parent]))[0];
    if (!row) break;
    found.unshift(row);
    parent = row.parent_code;
  }
  return found;
}

export async function insertLayerGrids(db: Db, rows: readonly NewLayerGridRow[]): Promise<void> {
  // Parents first; a few hundred rows a statement keeps the parameter count well inside the limits.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('layer_grids')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export interface LayerPersonWithUser {
  grid_code: string;
  user_id: number;
  duty: GridDuty;
  display_name: string;
  phone: string | null;
}

export async function listLayerGridPeople(db: Db, codes: readonly string[]): Promise<LayerPersonWithUser[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('layer_grid_people')
    .innerJoin('users', 'users.id', 'layer_grid_people.user_id')
    .select([
      'layer_grid_people.grid_code',
      'layer_grid_people.user_id',
      'layer_grid_people.duty',
      'users.display_name',
      'users.phone',
    ])
    .where('layer_grid_people.grid_code', 'in', codes)
    .orderBy('layer_grid_people.duty')
    .orderBy('users.display_name')
    .execute();
}

export async function replaceLayerGridPeople(
  db: Db,
  code: string,
  people: readonly { userId: number; duty: GridDuty }[],
): Promise<void> {
  await db.deleteFrom('layer_grid_people').where('grid_code', '=', code).execute();
  if (people.length === 0) return;
  await db
    .insertInto('layer_grid_people')
    .values(people.map((p) => ({ grid_code: code, user_id: p.userId, duty: p.duty })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function bumpLayerGridVersion(db: Db, code: string, version: number): Promise<boolean> {
  const result = await db
    .updateTable('layer_grids')
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The grids directly below a layer grid, in code order. */
export async function listLayerGridChildren(db: Db, code: string): Promise<LayerGridWithRegion[]> {
  const rows = await db
    .selectFrom('layer_grids')
    .select('code')
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
  return findLayerGrids(
    db,
    rows.map((r) => r.code),
  );
}
