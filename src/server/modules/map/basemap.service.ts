import {
  type BasemapLayers,
  type BasemapSetting,
  type BasemapSettings,
  basemapLayersOf,
  basemapSettingSchema,
} from '../../../shared/basemap.ts';
import type { Db } from '../../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import * as repository from './basemap.repository.ts';

const SET_BASEMAP = { zh: '设置底图', en: 'set the basemap' };
/**
 * How long a process trusts the basemap it read: every answer's CSP and /config read it, and another process
 * (or the CLI) may change it; a change made here is seen at once.
 */
const FRESH_MS = 5_000;

export interface BasemapServiceDeps {
  db: Db;
  audit: Pick<AuditService, 'record'>;
  territory: Pick<TerritoryService, 'assertGovernsAll'>;
  /** GRIDGOV_BASEMAP_URL and its attribution: what holds until an administrator sets a basemap. */
  defaults: { url: string | null; attribution: string | null };
}

export type BasemapService = ReturnType<typeof createBasemapService>;

/** The basemap every map draws: the administrator's setting, or the deployment's default. */
export function createBasemapService(deps: BasemapServiceDeps) {
  const { db, audit, territory, defaults } = deps;
  const fallback: BasemapLayers | null = defaults.url
    ? { url: defaults.url, labelUrl: null, attribution: defaults.attribution }
    : null;
  let cached: { setting: BasemapSetting | null; at: number } | null = null;

  async function storedSetting(): Promise<BasemapSetting | null> {
    if (cached && performance.now() - cached.at < FRESH_MS) return cached.setting;
    // A row another version wrote that no longer parses is ignored rather than breaking every page.
    const parsed = basemapSettingSchema.safeParse(await repository.findBasemapSetting(db));
    const setting = parsed.success ? parsed.data : null;
    cached = { setting, at: performance.now() };
    return setting;
  }

  /** The layers maps draw now (read on every page's CSP; cached for a few seconds). */
  async function current(): Promise<BasemapLayers | null> {
    const setting = await storedSetting();
    return setting ? basemapLayersOf(setting) : fallback;
  }

  async function describe(): Promise<BasemapSettings> {
    return { setting: await storedSetting(), effective: await current(), defaultUrl: defaults.url };
  }

  /** What the administrator's console shows: the setting, what it draws, and the default. */
  async function getSettings(actor: Actor): Promise<BasemapSettings> {
    await territory.assertGovernsAll(actor, SET_BASEMAP);
    return describe();
  }

  /**
   * Sets the basemap of the whole deployment (every village shares it, so only an administrator of all of it
   * may), audited; `null` returns to the deployment's default.
   */
  async function setBasemap(actor: Actor, setting: BasemapSetting | null): Promise<BasemapSettings> {
    await territory.assertGovernsAll(actor, SET_BASEMAP);
    await db.transaction().execute(async (trx) => {
      if (setting) await repository.saveBasemapSetting(trx, setting);
      else await repository.deleteBasemapSetting(trx);
      await audit.record(trx, {
        actor,
        action: setting ? 'basemap.set' : 'basemap.reset',
        entityType: 'setting',
        entityId: 'map.basemap',
        // The key is a credential of the deployment's 天地图 account: the log says one was given, not which.
        details: setting ? { ...setting, ...(setting.tiandituKey ? { tiandituKey: '***' } : {}) } : {},
      });
    });
    cached = null;
    return describe();
  }

  return { current, getSettings, setBasemap };
}
