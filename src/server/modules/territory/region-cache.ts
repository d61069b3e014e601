import type { RegionSummary } from '../../../shared/territory.ts';
import { AppError } from '../../errors.ts';
import type { TerritoryService } from './territory.service.ts';

/** Regions read during one import or batch, by code: each code is read once; null for a code that is no region. */
export type RegionCache = Map<string, Promise<RegionSummary | null>>;

/** A region's summary from `cache`, read through the territory service the first time its code is asked for. */
export function cachedRegion(
  territory: Pick<TerritoryService, 'getRegionSummary'>,
  cache: RegionCache,
  code: string,
): Promise<RegionSummary | null> {
  let found = cache.get(code);
  if (!found) {
    found = territory.getRegionSummary(code).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    });
    cache.set(code, found);
  }
  return found;
}
