import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import { TERRITORY } from '../../testing/factories.ts';
import type { TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { markSeedDisputeCategories } from './dispute-categories.ts';

const FIRST17 = '44060519750606321';

/** Strings only 河清's mediation holds: an answer to another village's user that shows one has leaked. */
export const MEDIATION_MARKERS = {
  mediationParty: '河清调解当事人甲',
  mediationFacts: '河清调解秘密事实',
  mediationIdNumber: `${FIRST17}${idNumberCheckChar(FIRST17)}`,
  mediationPhone: '13900002222',
};

/** A settled mediation of 河清 with its agreement, for the all-routes scope walk (ids by path segment). */
export async function seedMediationScope(ctx: TestContext): Promise<Record<string, string>> {
  const system = systemActor();
  const service = ctx.services.mediation.service;
  await markSeedDisputeCategories(ctx.services.categories, service);
  const opened = await service.openMediation(system, {
    regionCode: TERRITORY.heqing,
    disputeType: 'neighbour',
    source: 'application',
    procedure: 'simplified',
    summary: MEDIATION_MARKERS.mediationFacts,
    parties: [
      {
        side: 'applicant',
        name: MEDIATION_MARKERS.mediationParty,
        idNumber: MEDIATION_MARKERS.mediationIdNumber,
        phone: MEDIATION_MARKERS.mediationPhone,
        address: '河清社区某号',
      },
      { side: 'respondent', name: '河清调解当事人乙', phone: null, address: null },
    ],
  });
  const settled = await service.settle(system, opened.id, {
    facts: MEDIATION_MARKERS.mediationFacts,
    terms: '双方和解',
    performanceMethod: '当面',
    performancePlace: '河清社区',
    performBy: '2026-12-31',
    evidence: [],
    version: opened.version,
  });
  return { mediations: String(settled.id) };
}
