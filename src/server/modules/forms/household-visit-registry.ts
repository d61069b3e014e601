import { errorMessage, localize } from '../../../shared/errors.ts';
import type { Answers, FormDefinition } from '../../../shared/forms.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { HouseFacts } from './household-visit.repository.ts';
import type { StoredRegistryChange } from './household-visit.table.ts';

/*
 * A visit confirms facts the registry keeps. Where the form maps a question to a registry field, the answer is
 * written through the registry service as the visitor — its checks, scope, history and audit entry — never into
 * its tables. A refusal (a phone the registry rejects, a record changed meanwhile) does not undo the visit: it is
 * kept on the visit with the registry's message, for the grid worker to correct in the registry.
 */

interface ResidentFacts {
  id: number;
  relation: string | null;
  phone: string | null;
  version: number;
}

const COUNT_DIFFERS = {
  zh: '登记在册 {registry} 人，走访所见 {answer} 人：请在实有人口中核实增减',
  en: '{registry} residents registered, {answer} seen: check the residents in the registry',
};

/** Applies each mapped answer; returns what happened to each, in question order. */
export async function applyRegistryFields(
  registry: Pick<RegistryService, 'updateRecord'>,
  actor: Actor,
  visit: {
    definition: FormDefinition;
    answers: Answers;
    house: HouseFacts;
    residents: readonly ResidentFacts[];
  },
): Promise<StoredRegistryChange[]> {
  const changes: StoredRegistryChange[] = [];
  const head = visit.residents[0];
  for (const q of visit.definition.questions) {
    const value = visit.answers[q.name];
    if (!q.registryField || value === undefined || value === null || value === '') continue;
    const field = q.registryField;
    const record = async (
      residentId: number | null,
      unchanged: boolean,
      write: () => Promise<unknown>,
    ): Promise<void> => {
      if (unchanged) {
        changes.push({ field, residentId, outcome: 'unchanged', message: null });
        return;
      }
      try {
        await write();
        changes.push({ field, residentId, outcome: 'updated', message: null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        changes.push({
          field,
          residentId,
          outcome: 'refused',
          message: errorMessage(error.code, error.params, actor.locale),
        });
      }
    };
    switch (field) {
      case 'household.headPhone':
        if (head) {
          await record(head.id, head.phone === value, () =>
            registry.updateRecord(actor, 'resident', head.id, { phone: value, version: head.version }),
          );
        }
        break;
      case 'house.use':
        await record(null, visit.house.use === value, () =>
          registry.updateRecord(actor, 'house', visit.house.id, { use: value, version: visit.house.version }),
        );
        break;
      case 'house.landlordPhone':
        await record(null, visit.house.landlord_phone === value, () =>
          registry.updateRecord(actor, 'house', visit.house.id, {
            landlordPhone: value,
            version: visit.house.version,
          }),
        );
        break;
      case 'household.residentCount': {
        // People are added or moved in the registry one by one (ID numbers checked): a count cannot do it, so a
        // difference is noted on the visit for the grid worker to follow up.
        const registered = visit.residents.length;
        const same = Number(value) === registered;
        changes.push({
          field,
          residentId: null,
          outcome: same ? 'unchanged' : 'refused',
          message: same
            ? null
            : localize(
                {
                  zh: COUNT_DIFFERS.zh
                    .replace('{registry}', String(registered))
                    .replace('{answer}', String(value)),
                  en: COUNT_DIFFERS.en
                    .replace('{registry}', String(registered))
                    .replace('{answer}', String(value)),
                },
                actor.locale,
              ),
        });
        break;
      }
    }
  }
  return changes;
}
