import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { CategoryService } from '../cases/category.service.ts';
import type { EvidenceService } from '../cases/evidence.service.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { ApiKeyService } from './api-key.service.ts';
import { createOpen311Catalogue } from './open311-catalogue.ts';
import { createOpen311Reads } from './open311-reads.ts';
import { createOpen311Writes } from './open311-writes.ts';

export { Open311Error, type Open311Params } from './open311-arguments.ts';

export interface Open311ServiceDeps {
  db: Db;
  clock: Clock;
  cases: Pick<CaseService, 'reportCase' | 'recordClientUpdate'>;
  categories: Pick<CategoryService, 'getCategoryTree' | 'listAttributes'>;
  territory: Pick<TerritoryService, 'getRegionSummary' | 'locateCode'>;
  registry: Pick<RegistryService, 'getRecord'>;
  keys: Pick<ApiKeyService, 'clientById'>;
  /** Where a photo posted with a report (multipart/form-data) is kept, as any other evidence. */
  evidence: Pick<EvidenceService, 'uploadEvidence'>;
  /** The region codes this server answers for; several make jurisdiction_id required. */
  jurisdictions: readonly string[];
  /**
   * The sources whose cases the public may read (GRIDGOV_OPEN311_PUBLIC_SOURCES; default PUBLIC_CASE_SOURCES):
   * a town that imports a city's public service-request history publishes `hotline` too.
   */
  publicSources: readonly string[];
  /** Requests or updates one search answers at most: the spec's 1,000 unless a test pages in smaller steps. */
  pageSize?: number;
}

export type Open311Service = ReturnType<typeof createOpen311Service>;

/**
 * The Open311 GeoReport v2 server (docs/open311.md): public minor classes are its services, cases of public
 * categories its service requests, public workflow steps its updates. Nothing personal is ever answered.
 * Its parts: what it offers (open311-catalogue.ts), what anyone may read (open311-reads.ts), what a client
 * with a key writes (open311-writes.ts), and the arguments and refusals they share (open311-arguments.ts).
 */
export function createOpen311Service(deps: Open311ServiceDeps) {
  const catalogue = createOpen311Catalogue(deps);
  return {
    discovery: catalogue.discovery,
    listServices: catalogue.listServices,
    serviceDefinition: catalogue.serviceDefinition,
    ...createOpen311Reads(deps, catalogue),
    ...createOpen311Writes(deps, catalogue),
  };
}
