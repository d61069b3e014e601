import type { FiguresQuery } from '../../../shared/mediation.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { assertMayRead } from './mediation.policy.ts';
import { createMediationService } from './mediation.service.ts';
import { createMediationDocuments } from './mediation-documents.ts';
import { mediationFigures } from './mediation-figures.repository.ts';
import { createMediationSweep } from './mediation-sweep.ts';

export type MediationServices = ReturnType<typeof createMediationServices>;

/** The mediation module's parts, wired once: the use cases, the agreement documents, the figures and the sweep. */
export function createMediationServices(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  territory: TerritoryService;
  cases: CaseService;
  notifications: NotificationService;
}) {
  const { db, clock, audit, territory, notifications } = deps;
  const service = createMediationService(deps);
  const documents = createMediationDocuments({ db, audit, mediation: service });
  const { sweep } = createMediationSweep({ db, clock, notifications });
  /** The figures of the actor's scope; a region outside it answers 403. */
  async function figures(actor: Actor, query: FiguresQuery) {
    assertMayRead(actor);
    if (query.regionCode) {
      const region = await territory.getRegionSummary(query.regionCode);
      await service.assertRegionVisible(actor, region.code, region.name);
    }
    return mediationFigures(db, actor, query, clock.now(), (codes) => territory.getRegionNames(codes));
  }
  return { service, documents, sweep, figures };
}
