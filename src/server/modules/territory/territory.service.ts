import { type LocalizedText, labelWithCode, say } from '../../../shared/errors.ts';
import { GRID_DUTY_LABELS, type GridDuty } from '../../../shared/roles.ts';
import type {
  AreaGeometry,
  ImportReport,
  LocateResult,
  RegionDetail,
  RegionSummary,
  RegionTreeNode,
} from '../../../shared/territory.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { AppError, conflict, ENTITY, notFound } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { assertInScope, assertRole, inScope } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, type Scope } from '../people/scope.ts';
import { assertGovernsWholeTerritory } from './deployment.policy.ts';
import { formatDivisionCsv, parentLevelOf, parseDivisionCsv } from './division-csv.ts';
import { createGridLayers } from './grid-layers.ts';
import { buildGridLocator, type GridLocator } from './grid-locator.ts';
import { presentPeople, presentRegionSummary } from './region.presenter.ts';
import * as regions from './region.repository.ts';
import type { RegionRow } from './region.table.ts';
import { createTerritoryBoundaries } from './territory-boundaries.ts';
import { EDIT_TERRITORY, REGION_TEXT } from './territory-text.ts';

export interface TerritoryServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** How often, at most, a process re-reads the territory revision to learn of boundary changes. */
  locatorRecheckMs?: number;
}

export type TerritoryService = ReturnType<typeof createTerritoryService>;

export function createTerritoryService(deps: TerritoryServiceDeps) {
  const { db, audit } = deps;
  const recheckMs = deps.locatorRecheckMs ?? 2000;
  let cachedLocator: { revision: number; checkedAt: number; locator: GridLocator } | null = null;

  async function getRegionRow(code: string): Promise<RegionRow> {
    const row = await regions.findRegion(db, code);
    if (!row) throw notFound(ENTITY.region, code);
    return row;
  }

  /** The actor's scope, or the subtree of `root` when given (refused when it lies outside the scope). */
  async function subtreeScope(actor: Actor, root: string | undefined): Promise<Scope> {
    const scope = regionScope(actor);
    return root ? narrowScope(scope, (await getVisibleRegion(actor, root)).code) : scope;
  }

  /** Reads a region the actor may see; one outside the scope is refused with its name and the scope's. */
  async function getVisibleRegion(actor: Actor, code: string): Promise<RegionRow> {
    const row = await getRegionRow(code);
    assertInScope(actor, row.code, labelWithCode(row.name, row.code));
    return row;
  }

  /** The region of a code, for other modules that show names beside codes. */
  async function getRegionSummary(code: string): Promise<RegionSummary> {
    return presentRegionSummary(await getRegionRow(code));
  }

  /** The names of these regions by code, for other modules that list many (rankings); unknown codes left out. */
  async function getRegionNames(codes: readonly string[]): Promise<Map<string, string>> {
    return new Map((await regions.findRegions(db, codes)).map((r) => [r.code, r.name]));
  }

  async function getRegionDetail(actor: Actor, code: string): Promise<RegionDetail> {
    const row = await getVisibleRegion(actor, code);
    const [ancestors, children, people] = await Promise.all([
      regions.listAncestors(db, code),
      regions.listChildren(db, code),
      regions.listGridPeople(db, [code]),
    ]);
    return {
      ...presentRegionSummary(row),
      ancestors: ancestors.map(presentRegionSummary),
      children: children.map((c) => ({ ...presentRegionSummary(c), childCount: c.child_count })),
      boundary: row.boundary,
      synthetic: row.synthetic,
      people: presentPeople(people),
      version: row.version,
    };
  }

  /** The tree below `root` (default: the actor's scope root), `depth` levels deep. */
  async function getRegionTree(actor: Actor, options: { root?: string | undefined; depth: number }) {
    const rootCode = options.root ?? actor.scopeCode;
    const root = rootCode ? await getVisibleRegion(actor, rootCode) : await firstRoot();
    const rows = await regions.listSubtree(db, {
      scope: narrowScope(regionScope(actor), root.code),
      maxCodeLength: root.code.length + 3 * options.depth,
    });
    const nodes = new Map<string, RegionTreeNode>();
    for (const row of rows) {
      nodes.set(row.code, { ...presentRegionSummary(row), childCount: row.child_count, children: [] });
    }
    const rootNode = nodes.get(root.code);
    if (!rootNode) throw notFound(ENTITY.region, root.code);
    prune(rootNode, nodes, options.depth);
    return rootNode;
  }

  function prune(rootNode: RegionTreeNode, nodes: Map<string, RegionTreeNode>, depth: number): void {
    const depthOf = new Map<string, number>([[rootNode.code, 0]]);
    for (const node of [...nodes.values()].sort((a, b) => a.code.length - b.code.length)) {
      if (node === rootNode || !node.parentCode) continue;
      const parentDepth = depthOf.get(node.parentCode);
      const parent = nodes.get(node.parentCode);
      if (parentDepth === undefined || !parent || parentDepth >= depth) continue;
      depthOf.set(node.code, parentDepth + 1);
      parent.children.push(node);
    }
  }

  async function firstRoot(): Promise<RegionRow> {
    const row = await regions.findFirstRoot(db);
    if (!row) throw notFound(ENTITY.region, '—');
    return row;
  }

  /** Grids (or villages) under `root` as GeoJSON features with their names and grid workers, for the map. */
  async function listGridFeatures(
    actor: Actor,
    options: { root?: string | undefined; level: 'leaf' | 'village' | 1 | 2 | 3 },
  ) {
    const rows = await regions.listSubtree(db, {
      scope: await subtreeScope(actor, options.root),
      withBoundary: true,
      ...(options.level === 'leaf'
        ? { leafGridsOnly: true }
        : options.level === 'village'
          ? { level: 'village' as const }
          : { level: 'grid' as const, gridLevel: options.level }),
    });
    const villageCodes = [...new Set(rows.map((r) => r.code.slice(0, 12)))];
    const [villages, people] = await Promise.all([
      regions.findRegions(db, villageCodes),
      regions.listGridPeople(
        db,
        rows.map((r) => r.code),
      ),
    ]);
    const villageName = new Map(villages.map((v) => [v.code, v.name]));
    const workers = new Map<string, string[]>();
    for (const p of people) {
      if (p.duty !== 'gridWorker') continue;
      workers.set(p.grid_code, [...(workers.get(p.grid_code) ?? []), p.display_name]);
    }
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((r) => ({
        type: 'Feature' as const,
        // No top-level id: map libraries turn numeric-looking ids into numbers, and a 21-digit grid code
        // does not fit; the code travels in the properties.
        geometry: r.boundary as AreaGeometry,
        properties: {
          code: r.code,
          name: r.name,
          level: r.level,
          gridLevel: r.grid_level,
          parentCode: r.parent_code,
          villageName: villageName.get(r.code.slice(0, 12)) ?? null,
          synthetic: r.synthetic,
          gridWorkers: workers.get(r.code) ?? [],
        },
      })),
    };
  }

  async function getLocator(): Promise<GridLocator> {
    const now = Date.now();
    if (cachedLocator && now - cachedLocator.checkedAt < recheckMs) return cachedLocator.locator;
    const revision = await regions.readTerritoryRevision(db);
    if (cachedLocator && cachedLocator.revision === revision) {
      cachedLocator.checkedAt = now;
      return cachedLocator.locator;
    }
    const grids = await regions.listLeafGridBoundaries(db);
    const locator = buildGridLocator(grids.map((g) => ({ code: g.code, geometry: g.boundary })));
    cachedLocator = { revision, checkedAt: now, locator };
    return locator;
  }

  /** The leaf grid code of a WGS-84 point, or null: the entry point other modules use to place records. */
  async function locateCode(lon: number, lat: number): Promise<string | null> {
    return (await getLocator()).locate(lon, lat);
  }

  async function locate(actor: Actor, lon: number, lat: number): Promise<LocateResult> {
    const code = await locateCode(lon, lat);
    if (!code) return { found: false, message: say(REGION_TEXT.outside, actor.locale) };
    const grid = await getVisibleRegion(actor, code);
    const [ancestors, people, layers] = await Promise.all([
      regions.listAncestors(db, code),
      regions.listGridPeople(db, [code]),
      gridLayers.locateLayers(actor, lon, lat),
    ]);
    return {
      found: true,
      grid: presentRegionSummary(grid),
      ancestors: ancestors.map(presentRegionSummary),
      people: presentPeople(people),
      layers,
    };
  }

  async function renameRegion(actor: Actor, options: { code: string; name: string; version: number }) {
    assertRole(actor, ['administrator'], EDIT_TERRITORY);
    const row = await getVisibleRegion(actor, options.code);
    await db.transaction().execute(async (trx) => {
      if (!(await regions.renameRegionAtVersion(trx, options.code, options.version, options.name))) {
        throw conflict(ENTITY.region, row.version);
      }
      await audit.record(trx, {
        actor,
        action: 'region.rename',
        entityType: 'region',
        entityId: options.code,
        countyCode: row.county_code,
        details: { from: row.name, to: options.name },
      });
    });
    return getRegionDetail(actor, options.code);
  }

  /**
   * The leaf grids a grid worker is named for (their own grids, within their wider village scope): what "mine"
   * means on the phone's lists. Empty for a user named for none.
   */
  async function gridsOfWorker(actor: Actor): Promise<string[]> {
    if (actor.role !== 'gridWorker' || actor.system) return [];
    return regions.gridsOfWorker(db, actor.id);
  }

  /**
   * Replaces a grid's responsible people. Each must be a user whose own scope covers the grid's village, so
   * the grid worker named for a grid can actually see it.
   */
  async function setGridPeople(
    actor: Actor,
    options: { code: string; version: number; people: { userId: number; duty: GridDuty }[] },
  ): Promise<RegionDetail> {
    assertRole(actor, ['administrator'], EDIT_TERRITORY);
    const grid = await getVisibleRegion(actor, options.code);
    if (grid.level !== 'grid') {
      throw new AppError('VALIDATION_FAILED', {
        summary: say(REGION_TEXT.notAGrid, actor.locale, { code: grid.code }),
      });
    }
    // The same person named twice for the same duty is one assignment.
    const people = [...new Map(options.people.map((p) => [`${p.userId}:${p.duty}`, p])).values()];
    const ids = [...new Set(people.map((p) => p.userId))];
    const users = await regions.findUserRegions(db, ids);
    for (const id of ids) {
      const user = users.find((u) => u.id === id);
      if (!user || !grid.code.startsWith(user.region_code)) {
        throw new AppError('VALIDATION_FAILED', {
          summary: say(REGION_TEXT.notAGridPerson, actor.locale, { id }),
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      if (!(await regions.bumpRegionVersion(trx, grid.code, options.version))) {
        throw conflict(ENTITY.grid, grid.version);
      }
      await regions.replaceGridPeople(trx, grid.code, people);
      await audit.record(trx, {
        actor,
        action: 'grid.people.set',
        entityType: 'region',
        entityId: grid.code,
        countyCode: grid.county_code,
        details: {
          people: people.map((p) => ({
            userId: p.userId,
            duty: p.duty,
            dutyLabel: GRID_DUTY_LABELS[p.duty].zh,
          })),
        },
      });
    });
    return getRegionDetail(actor, grid.code);
  }

  /**
   * Imports divisions from CSV. The rule: the whole file is checked first; if any row is wrong, nothing is
   * written and every wrong row is reported with its line and reason. Otherwise all rows are applied in one
   * transaction — new codes created, changed names updated, identical rows left alone — so importing the
   * same file twice changes nothing the second time.
   */
  async function importDivisions(
    actor: Actor,
    options: { csv: string; dryRun?: boolean | undefined },
  ): Promise<ImportReport> {
    assertRole(actor, ['administrator'], EDIT_TERRITORY);
    const { rows, errors } = parseDivisionCsv(options.csv, actor.locale);
    const total = rows.length + errors.length;
    const fileByCode = new Map(rows.map((r) => [r.code, r]));
    const existing = new Map(
      (await regions.findRegions(db, [...new Set(rows.flatMap((r) => [r.code, r.parentCode ?? '']))])).map(
        (r) => [r.code, r],
      ),
    );
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const row of rows) {
      const rowErrors: string[] = [];
      if (!inScope(actor, row.code)) {
        rowErrors.push(say(REGION_TEXT.outOfScope, actor.locale, { code: row.code }));
      }
      if (row.parentCode) {
        const parentLevel = fileByCode.get(row.parentCode)?.level ?? existing.get(row.parentCode)?.level;
        const expected = parentLevelOf(row.level);
        if (!parentLevel)
          rowErrors.push(say(REGION_TEXT.parentMissing, actor.locale, { parent: row.parentCode }));
        else if (parentLevel !== expected) {
          rowErrors.push(
            say(REGION_TEXT.parentLevel, actor.locale, {
              parent: row.parentCode,
              actual: parentLevel,
              level: row.level,
              expected: expected ?? '—',
            }),
          );
        }
      }
      const current = existing.get(row.code);
      if (current && current.level !== row.level) {
        rowErrors.push(
          say(REGION_TEXT.levelChange, actor.locale, {
            code: row.code,
            existing: current.level,
            level: row.level,
          }),
        );
      } else if (current && current.parent_code !== row.parentCode) {
        rowErrors.push(
          say(REGION_TEXT.parentChange, actor.locale, {
            code: row.code,
            existing: current.parent_code ?? '—',
            parent: row.parentCode ?? '—',
          }),
        );
      }
      if (rowErrors.length) {
        errors.push({ line: row.line, code: row.code, reason: rowErrors.join('；') });
        continue;
      }
      if (!current) created++;
      else if (current.name !== row.name) updated++;
      else unchanged++;
    }
    errors.sort((a, b) => a.line - b.line);
    const report: ImportReport = { applied: false, total, created, updated, unchanged, errors };
    if (errors.length > 0) {
      throw new AppError('IMPORT_REJECTED', { count: errors.length }, report);
    }
    if (options.dryRun) return report;

    await db.transaction().execute(async (trx) => {
      // Parents before children: a code is longer than its parent's.
      for (const row of [...rows].sort((a, b) => a.code.length - b.code.length || a.line - b.line)) {
        const current = existing.get(row.code);
        if (!current) {
          await regions.insertRegion(trx, {
            code: row.code,
            name: row.name,
            level: row.level,
            grid_level: null,
            parent_code: row.parentCode,
            county_code: row.code.length >= 6 ? row.code.slice(0, 6) : null,
            boundary: null,
          });
        } else if (current.name !== row.name) {
          await regions.updateRegionName(trx, row.code, row.name);
        }
      }
      await audit.record(trx, {
        actor,
        action: 'divisions.import',
        entityType: 'region',
        entityId: rows[0]?.code ?? '',
        details: { total, created, updated, unchanged },
      });
    });
    return { ...report, applied: true };
  }

  async function exportDivisions(actor: Actor, options: { root?: string | undefined }): Promise<string> {
    const rows = await regions.listSubtree(db, { scope: await subtreeScope(actor, options.root) });
    return formatDivisionCsv(
      rows
        .filter((r): r is typeof r & { level: Exclude<RegionRow['level'], 'grid'> } => r.level !== 'grid')
        .map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })),
    );
  }

  /** Villages and grids of the actor's scope whose name holds the text: the map search's second half. */
  async function searchRegions(actor: Actor, options: { text: string; limit: number }) {
    const rows = await regions.searchRegionsByName(db, { scope: regionScope(actor), ...options });
    return rows.map((row) => ({ ...presentRegionSummary(row), boundary: row.boundary }));
  }

  /** Refuses an actor who may not change settings of the whole deployment (see deployment.policy.ts). */
  function assertGovernsAll(actor: Actor, action: LocalizedText): Promise<void> {
    return assertGovernsWholeTerritory(db, actor, action);
  }

  // Party and special grids: trees of their own beside the region tree's comprehensive grids.
  const gridLayers = createGridLayers({ db, audit, subtreeScope, recheckMs });

  const boundaries = createTerritoryBoundaries({
    db,
    audit,
    subtreeScope,
    boundariesChanged: () => {
      cachedLocator = null;
    },
  });

  return {
    assertGovernsAll,
    getRegionSummary,
    getRegionNames,
    getRegionDetail,
    getRegionTree,
    listGridFeatures,
    locate,
    locateCode,
    searchRegions,
    renameRegion,
    setGridPeople,
    gridsOfWorker,
    importDivisions,
    exportDivisions,
    ...boundaries,
    ...gridLayers,
  };
}
