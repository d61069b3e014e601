import { labelWithCode, say } from '../../../shared/errors.ts';
import { GRID_DUTY_LABELS, type GridDuty } from '../../../shared/roles.ts';
import {
  type AreaGeometry,
  GRID_KIND_LABELS,
  LAYER_GRID_KINDS,
  type LayerGridKind,
  type LayerGridSummary,
  type LayerLocation,
  MAX_GRID_LEVEL,
} from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole, inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import type { Scope } from '../people/scope.ts';
import { buildGridLocator, type GridLocator } from './grid-locator.ts';
import * as layers from './layer-grid.repository.ts';
import type { NewLayerGridRow } from './layer-grid.table.ts';
import { presentPeople } from './region.presenter.ts';
import * as regions from './region.repository.ts';
import { EDIT_TERRITORY, REGION_TEXT } from './territory-text.ts';

export interface GridLayersDeps {
  db: Db;
  audit: AuditService;
  subtreeScope: (actor: Actor, root: string | undefined) => Promise<Scope>;
  recheckMs: number;
}

export function presentLayerGrid(row: layers.LayerGridWithRegion): LayerGridSummary {
  return {
    code: row.code,
    kind: row.kind,
    name: row.name,
    gridLevel: row.grid_level,
    parentCode: row.parent_code,
    regionCode: row.region_code,
    regionName: row.region_name,
    synthetic: row.synthetic,
  };
}

/**
 * The grid layers other than the comprehensive one (part of territory.service.ts): each kind its own tree over
 * the villages, read within the actor's data scope by the region holding each grid, and located by a locator
 * of its own, rebuilt like the comprehensive one when the territory revision moves.
 */
export function createGridLayers(deps: GridLayersDeps) {
  const { db, audit, subtreeScope } = deps;
  let cached: { revision: number; checkedAt: number; locators: Map<LayerGridKind, GridLocator> } | null =
    null;

  async function getVisibleLayerGrid(actor: Actor, code: string) {
    const row = (await layers.findLayerGrids(db, [code]))[0];
    if (!row) throw notFound(ENTITY.grid, code);
    assertInScope(actor, row.region_code, labelWithCode(row.name, row.code));
    return row;
  }

  /** The grids of a layer within the scope (or below root), with their number per level. */
  async function listLayerGrids(
    actor: Actor,
    options: { kind: LayerGridKind; root?: string | undefined; level?: number | undefined },
  ) {
    const scope = await subtreeScope(actor, options.root);
    const [rows, counts] = await Promise.all([
      layers.listLayerGrids(db, { kind: options.kind, scope, gridLevel: options.level }),
      layers.countLayerGrids(db, options.kind, scope),
    ]);
    const people = await layers.listLayerGridPeople(
      db,
      rows.map((r) => r.code),
    );
    const byGrid = new Map<string, typeof people>();
    for (const p of people) byGrid.set(p.grid_code, [...(byGrid.get(p.grid_code) ?? []), p]);
    return {
      kind: options.kind,
      counts: Array.from({ length: MAX_GRID_LEVEL }, (_, i) => ({
        gridLevel: i + 1,
        count: counts.find((c) => c.grid_level === i + 1)?.n ?? 0,
      })),
      grids: rows.map((r) => ({
        ...presentLayerGrid(r),
        childCount: r.child_count,
        people: presentPeople(byGrid.get(r.code) ?? []),
      })),
    };
  }

  async function getLayerGrid(actor: Actor, code: string) {
    const row = await getVisibleLayerGrid(actor, code);
    const [ancestors, children, people] = await Promise.all([
      layers.listLayerAncestors(db, code),
      layers.listLayerGridChildren(db, code),
      layers.listLayerGridPeople(db, [code]),
    ]);
    return {
      ...presentLayerGrid(row),
      ancestors: ancestors.map(presentLayerGrid),
      children: children
        .filter((c) => inScope(actor, c.region_code))
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((c) => ({ ...presentLayerGrid(c), childCount: c.child_count })),
      boundary: row.boundary,
      people: presentPeople(people),
      version: row.version,
    };
  }

  /** A layer's grids as GeoJSON for the map, in the same shape as the comprehensive grids' features. */
  async function listLayerFeatures(
    actor: Actor,
    options: { kind: LayerGridKind; root?: string | undefined; level: 'leaf' | 1 | 2 | 3 },
  ) {
    const rows = await layers.listLayerGrids(db, {
      kind: options.kind,
      scope: await subtreeScope(actor, options.root),
      withBoundary: true,
      ...(options.level === 'leaf' ? { leavesOnly: true } : { gridLevel: options.level }),
    });
    const people = await layers.listLayerGridPeople(
      db,
      rows.map((r) => r.code),
    );
    const secretaries = new Map<string, string[]>();
    for (const p of people) {
      if (p.duty !== 'partySecretary' && p.duty !== 'gridWorker') continue;
      secretaries.set(p.grid_code, [...(secretaries.get(p.grid_code) ?? []), p.display_name]);
    }
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((r) => ({
        type: 'Feature' as const,
        geometry: r.boundary as AreaGeometry,
        properties: {
          code: r.code,
          kind: r.kind,
          name: r.name,
          level: 'grid' as const,
          gridLevel: r.grid_level,
          parentCode: r.parent_code,
          villageName: r.region_name,
          synthetic: r.synthetic,
          gridWorkers: secretaries.get(r.code) ?? [],
        },
      })),
    };
  }

  async function getLocators(): Promise<Map<LayerGridKind, GridLocator>> {
    const now = Date.now();
    if (cached && now - cached.checkedAt < deps.recheckMs) return cached.locators;
    const revision = await regions.readTerritoryRevision(db);
    if (cached && cached.revision === revision) {
      cached.checkedAt = now;
      return cached.locators;
    }
    const leaves = await layers.listLayerLeafBoundaries(db);
    const locators = new Map(
      LAYER_GRID_KINDS.map((kind) => [
        kind,
        buildGridLocator(
          leaves.filter((l) => l.kind === kind).map((l) => ({ code: l.code, geometry: l.boundary })),
        ),
      ]),
    );
    cached = { revision, checkedAt: now, locators };
    return locators;
  }

  /** The leaf grid of the layer holding the point, or null: for modules placing records in a layer. */
  async function locateLayerCode(kind: LayerGridKind, lon: number, lat: number): Promise<string | null> {
    return (await getLocators()).get(kind)?.locate(lon, lat) ?? null;
  }

  /** The leaf grid of every layer holding the point that the actor may see, one per kind. */
  async function locateLayers(actor: Actor, lon: number, lat: number): Promise<LayerLocation[]> {
    const locators = await getLocators();
    const codes = LAYER_GRID_KINDS.flatMap((kind) => locators.get(kind)?.locate(lon, lat) ?? []);
    const rows = (await layers.findLayerGrids(db, codes)).filter((r) => inScope(actor, r.region_code));
    return Promise.all(
      rows.map(async (row) => {
        const [ancestors, people] = await Promise.all([
          layers.listLayerAncestors(db, row.code),
          layers.listLayerGridPeople(db, [row.code]),
        ]);
        return {
          kind: row.kind,
          grid: presentLayerGrid(row),
          ancestors: ancestors.map(presentLayerGrid),
          people: presentPeople(people),
        };
      }),
    );
  }

  /** Adds grids to a layer, parents before children (the demo load, an import); administrators. */
  async function createLayerGrids(actor: Actor, kind: LayerGridKind, rows: readonly NewLayerGridRow[]) {
    assertRole(actor, ['administrator'], EDIT_TERRITORY);
    for (const row of rows) assertInScope(actor, row.region_code, row.code);
    await db.transaction().execute(async (trx) => {
      await layers.insertLayerGrids(trx, rows);
      await regions.bumpTerritoryRevision(trx);
      await audit.record(trx, {
        actor,
        action: 'layer.grids.create',
        entityType: 'region',
        entityId: kind,
        details: { kind, kindLabel: GRID_KIND_LABELS[kind].zh, count: rows.length },
      });
    });
    cached = null;
  }

  /** Replaces a layer grid's responsible people, each a user whose scope covers the grid's region. */
  async function setLayerGridPeople(
    actor: Actor,
    options: { code: string; version: number; people: { userId: number; duty: GridDuty }[] },
  ) {
    assertRole(actor, ['administrator'], EDIT_TERRITORY);
    const grid = await getVisibleLayerGrid(actor, options.code);
    const people = [...new Map(options.people.map((p) => [`${p.userId}:${p.duty}`, p])).values()];
    const ids = [...new Set(people.map((p) => p.userId))];
    const users = await regions.findUserRegions(db, ids);
    for (const id of ids) {
      const user = users.find((u) => u.id === id);
      if (!user || !grid.region_code.startsWith(user.region_code)) {
        throw new AppError('VALIDATION_FAILED', {
          summary: say(REGION_TEXT.notAGridPerson, actor.locale, { id }),
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      if (!(await layers.bumpLayerGridVersion(trx, grid.code, options.version))) {
        throw conflict(ENTITY.grid, grid.version);
      }
      await layers.replaceLayerGridPeople(trx, grid.code, people);
      await audit.record(trx, {
        actor,
        action: 'grid.people.set',
        entityType: 'region',
        entityId: grid.code,
        details: {
          people: people.map((p) => ({
            userId: p.userId,
            duty: p.duty,
            dutyLabel: GRID_DUTY_LABELS[p.duty].zh,
          })),
        },
      });
    });
    return getLayerGrid(actor, grid.code);
  }

  return {
    listLayerGrids,
    getLayerGrid,
    listLayerFeatures,
    locateLayerCode,
    locateLayers,
    createLayerGrids,
    setLayerGridPeople,
  };
}
