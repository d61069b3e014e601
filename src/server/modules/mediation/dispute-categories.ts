import type { DisputeType } from '../../../shared/mediation.ts';
import type { CategoryService } from '../cases/category.service.ts';
import { systemActor } from '../people/actor.ts';
import type { MediationService } from './mediation.service.ts';

/**
 * The dispute classes of the seed category tree (matter 16 矛盾纠纷类) and the dispute type each is counted under.
 * Category codes are data per deployment: an administrator sets their own with PUT /mediations/categories.
 */
export const SEED_DISPUTE_CATEGORIES: Record<string, DisputeType> = {
  '16001': 'neighbour',
  '16002': 'labour',
  '16003': 'property',
};

/** Marks the seed tree's dispute classes as following the mediation path (the demo load and tests). */
export async function markSeedDisputeCategories(
  categories: Pick<CategoryService, 'getCategoryTree'>,
  mediation: Pick<MediationService, 'setDisputeCategories'>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const major of await categories.getCategoryTree()) {
    if (major.kind !== 'matter') continue;
    for (const minor of major.children)
      if (minor.code in SEED_DISPUTE_CATEGORIES) ids.set(minor.code, minor.id);
  }
  await mediation.setDisputeCategories(systemActor('seed'), {
    categories: [...ids].map(([code, categoryId]) => ({
      categoryId,
      disputeType: SEED_DISPUTE_CATEGORIES[code] ?? 'other',
    })),
  });
  return ids;
}
