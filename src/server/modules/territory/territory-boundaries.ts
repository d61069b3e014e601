import { type Locale, say } from '../../../shared/errors.ts';
import {
  type AreaGeometry,
  areaGeometrySchema,
  type BoundaryImportReport,
  CODE_LENGTH,
  GRID_CODE_DIGITS_PER_LEVEL,
  type ImportRowError,
  MAX_GRID_LEVEL,
  type TerritoryIssue,
} from '../../../shared/territory.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertRole, inScope } from '../people/access.policy.ts';
import { type Actor, systemActor } from '../people/actor.ts';
import type { Scope } from '../people/scope.ts';
import { checkChildren, checkGeometry } from './boundary-validation.ts';
import { gcj02ToWgs84Geometry } from './coordinates.ts';
import * as regions from './region.repository.ts';
import type { RegionRow } from './region.table.ts';
import { EDIT_TERRITORY, REGION_TEXT } from './territory-text.ts';

export interface TerritoryBoundariesDeps {
  db: Db;
  audit: AuditService;
  /** The actor's scope, or the subtree of `root` when given (refused when it lies outside the scope). */
  subtreeScope: (actor: Actor, root: string | undefined) => Promise<Scope>;
  /** Called once new boundaries are stored, so that this process locates points by them at once. */
  boundariesChanged: () => void;
}

/** The boundaries of regions and grids: imported from GeoJSON, checked, exported (part of territory.service.ts). */
export function createTerritoryBoundaries(deps: TerritoryBoundariesDeps) {
  const { db, audit, subtreeScope } = deps;
  // Modules whose records are placed into grids (the registry) re-place them when boundaries change.
  const boundaryListeners: ((actor: Actor) => Promise<Record<string, number>>)[] = [];

  /**
   * Imports boundaries from a GeoJSON FeatureCollection whose features carry `properties.code`. Same rule as
   * divisions: unknown codes, codes outside the scope, invalid or self-intersecting polygons and overlaps
   * between siblings reject the whole file. Gaps in a parent's coverage and children reaching beyond their
   * parent are reported but do not block, since grids are often redrawn one village at a time.
   */
  async function importBoundaries(
    actor: Actor,
    options: { geojson: unknown; crs: 'wgs84' | 'gcj02'; dryRun?: boolean | undefined; synthetic?: boolean },
  ): Promise<BoundaryImportReport> {
    assertRole(actor, ['administrator'], EDIT_TERRITORY);
    const features = featuresOf(options.geojson);
    if (!features) {
      const report = {
        applied: false,
        total: 0,
        updated: 0,
        errors: [{ line: 0, reason: say(REGION_TEXT.notFeatureCollection, actor.locale) }],
        issues: [],
      };
      throw new AppError('IMPORT_REJECTED', { count: 1 }, report);
    }
    const errors: ImportRowError[] = [];
    const accepted = new Map<string, AreaGeometry>();
    const codes = features.map((f) => codeOf(propertiesOf(f).code));
    const lookup = codes.filter(Boolean).flatMap((c) => [c, c.slice(0, -GRID_CODE_DIGITS_PER_LEVEL)]);
    const known = new Map((await regions.findRegions(db, [...new Set(lookup)])).map((r) => [r.code, r]));
    const newGrids = new Map<string, { name: string; gridLevel: number; parentCode: string }>();
    features.forEach((feature, index) => {
      const line = index + 1;
      const code = codes[index] ?? '';
      const reason = checkFeature(feature, code);
      if (typeof reason === 'string') errors.push({ line, ...(code ? { code } : {}), reason });
      else accepted.set(code, reason);
    });

    /** The feature's geometry in WGS-84, or why it cannot be taken. */
    function checkFeature(feature: unknown, code: string): AreaGeometry | string {
      const properties = propertiesOf(feature);
      if (!code) return say(REGION_TEXT.noCode, actor.locale);
      if (!known.has(code)) {
        const grid = newGridOf(code, properties.name);
        if (!grid || !(known.has(grid.parentCode) || newGrids.has(grid.parentCode))) {
          return say(REGION_TEXT.unknownCode, actor.locale, { code });
        }
        newGrids.set(code, grid);
      }
      if (!inScope(actor, code)) return say(REGION_TEXT.outOfScope, actor.locale, { code });
      const parsed = areaGeometrySchema.safeParse(isObject(feature) ? feature.geometry : undefined);
      if (!parsed.success) return say(REGION_TEXT.badGeometry, actor.locale);
      const geometry = options.crs === 'gcj02' ? gcj02ToWgs84Geometry(parsed.data) : parsed.data;
      const problems = checkGeometry(code, geometry, actor.locale);
      return problems.length ? problems.map((p) => p.message).join('；') : geometry;
    }

    const issues = errors.length ? [] : await checkAffectedParents(accepted, newGrids, actor.locale);
    for (const issue of issues.filter((i) => i.kind === 'overlap')) {
      const line = codes.indexOf(issue.code) + 1 || codes.indexOf(issue.otherCode ?? '') + 1;
      errors.push({ line, code: issue.code, reason: issue.message });
    }
    const report: BoundaryImportReport = {
      applied: false,
      total: features.length,
      updated: accepted.size,
      errors,
      issues: issues.filter((i) => i.kind !== 'overlap'),
    };
    if (errors.length) throw new AppError('IMPORT_REJECTED', { count: errors.length }, report);
    if (options.dryRun) return report;

    await db.transaction().execute(async (trx) => {
      for (const [code, grid] of newGrids) {
        await regions.insertRegion(trx, {
          code,
          name: grid.name,
          level: 'grid',
          grid_level: grid.gridLevel,
          parent_code: grid.parentCode,
          county_code: code.slice(0, 6),
          boundary: null,
        });
      }
      for (const [code, geometry] of accepted) {
        await regions.setRegionBoundary(trx, code, geometry, options.synthetic ?? false);
      }
      await regions.bumpTerritoryRevision(trx);
      await audit.record(trx, {
        actor,
        action: 'boundaries.import',
        entityType: 'region',
        entityId: [...accepted.keys()][0] ?? '',
        details: { updated: accepted.size, created: newGrids.size, crs: options.crs },
      });
    });
    deps.boundariesChanged();
    const relocated: Record<string, number> = {};
    // Records follow the boundaries the actor was allowed to change, wherever they lie: the follow-up is the
    // system's work (named after the import in the audit log), not a relocation the actor asked for.
    const follower = actor.system ? actor : systemActor(`boundaries.import ${actor.username}`);
    for (const listener of boundaryListeners) Object.assign(relocated, await listener(follower));
    return { ...report, applied: true, ...(boundaryListeners.length ? { relocated } : {}) };
  }

  /** Registers work to run after every applied boundary import; what it returns is added to the report. */
  function onBoundariesChanged(listener: (actor: Actor) => Promise<Record<string, number>>): void {
    boundaryListeners.push(listener);
  }

  /** Checks every parent whose children change, with the new geometries laid over the stored ones. */
  async function checkAffectedParents(
    changed: Map<string, AreaGeometry>,
    newGrids: Map<string, { parentCode: string }>,
    locale: Locale,
  ): Promise<TerritoryIssue[]> {
    const parentCodes = new Set<string>([...newGrids.values()].map((g) => g.parentCode));
    const changedRows = await regions.findRegions(db, [...changed.keys()]);
    for (const row of changedRows) {
      if (row.parent_code) parentCodes.add(row.parent_code);
      parentCodes.add(row.code);
    }
    const issues: TerritoryIssue[] = [];
    for (const parentCode of parentCodes) {
      const parent = await regions.findRegion(db, parentCode);
      if (!parent) continue;
      const children = await regions.listChildren(db, parentCode);
      const childCodes = [
        ...children.map((c) => c.code),
        ...[...newGrids].filter(([, g]) => g.parentCode === parentCode).map(([code]) => code),
      ];
      const stored = new Map(children.map((c) => [c.code, c.boundary]));
      const withGeometry = childCodes
        .map((code) => ({ code, geometry: changed.get(code) ?? stored.get(code) ?? null }))
        .filter((c): c is { code: string; geometry: AreaGeometry } => c.geometry !== null);
      if (withGeometry.length === 0) continue;
      issues.push(
        ...checkChildren({
          parent: { code: parent.code, geometry: changed.get(parent.code) ?? parent.boundary },
          children: withGeometry,
          locale,
        }),
      );
    }
    return dedupeIssues(issues);
  }

  /** Every boundary problem below `root`: the admin's check after editing grids. */
  async function validateTerritory(
    actor: Actor,
    options: { root?: string | undefined },
  ): Promise<TerritoryIssue[]> {
    const rows = await regions.listSubtree(db, { scope: await subtreeScope(actor, options.root) });
    const byParent = new Map<string, RegionRow[]>();
    for (const row of rows) {
      if (!row.parent_code) continue;
      byParent.set(row.parent_code, [...(byParent.get(row.parent_code) ?? []), row]);
    }
    const issues: TerritoryIssue[] = [];
    for (const row of rows) {
      if (row.boundary) issues.push(...checkGeometry(row.code, row.boundary, actor.locale));
    }
    const invalid = new Set(issues.map((i) => i.code));
    for (const row of rows) {
      const children = (byParent.get(row.code) ?? []).filter(
        (c): c is RegionRow & { boundary: AreaGeometry } => c.boundary !== null && !invalid.has(c.code),
      );
      if (children.length === 0) continue;
      issues.push(
        ...checkChildren({
          parent: { code: row.code, geometry: invalid.has(row.code) ? null : row.boundary },
          children: children.map((c) => ({ code: c.code, geometry: c.boundary })),
          locale: actor.locale,
        }),
      );
    }
    return dedupeIssues(issues);
  }

  async function exportBoundaries(actor: Actor, options: { root?: string | undefined }) {
    const rows = await regions.listSubtree(db, {
      scope: await subtreeScope(actor, options.root),
      withBoundary: true,
    });
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((r) => ({
        type: 'Feature' as const,
        geometry: r.boundary,
        properties: {
          code: r.code,
          name: r.name,
          level: r.level,
          gridLevel: r.grid_level,
          parentCode: r.parent_code,
          synthetic: r.synthetic,
        },
      })),
    };
  }

  return { importBoundaries, exportBoundaries, validateTerritory, onBoundariesChanged };
}

/**
 * A feature with an unknown code creates a grid when the code is a village or grid code extended by three
 * digits and the feature names it: the way a new grid drawn in a GIS tool comes in.
 */
function newGridOf(
  code: string,
  name: unknown,
): { name: string; gridLevel: number; parentCode: string } | null {
  if (!/^\d+$/.test(code) || typeof name !== 'string' || !name.trim()) return null;
  const gridLevel = (code.length - CODE_LENGTH.village) / GRID_CODE_DIGITS_PER_LEVEL;
  if (!Number.isInteger(gridLevel) || gridLevel < 1 || gridLevel > MAX_GRID_LEVEL) return null;
  return { name: name.trim(), gridLevel, parentCode: code.slice(0, -GRID_CODE_DIGITS_PER_LEVEL) };
}

function featuresOf(input: unknown): unknown[] | null {
  if (!input || typeof input !== 'object') return null;
  const collection = input as { type?: unknown; features?: unknown };
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) return null;
  return collection.features;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A feature's properties; none for a feature that is not an object (null, a number): a row error, not a crash. */
function propertiesOf(feature: unknown): Record<string, unknown> {
  return isObject(feature) && isObject(feature.properties) ? feature.properties : {};
}

/** A code is a string of digits or a number; anything else (an object, an array) is no code at all. */
function codeOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function dedupeIssues(issues: TerritoryIssue[]): TerritoryIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.kind}:${[i.code, i.otherCode ?? ''].sort().join('|')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
