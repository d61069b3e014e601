import type { FormDefinition, FormText } from '../../../shared/forms.ts';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import type { VisitForm, VisitFormSource } from './household-visit.service.ts';

const FORM = { zh: '表单', en: 'Form' };
const NOT_PUBLISHED = { zh: '该表单还没有发布的版本', en: 'the form has no published version yet' };

/**
 * The published form versions campaigns ask, read from the forms tables of this module. A form is usable by an
 * actor when it lies on their branch of the region tree (a town's form serves its villages, a village's form
 * its grids).
 */
export function createVisitFormSource(db: Db): VisitFormSource {
  const versions = () =>
    db
      .selectFrom('form_versions as v')
      .select(['v.id', 'v.form_id', 'v.version', 'v.title', 'v.definition'])
      .where('v.published_at', 'is not', null);

  const present = (row: {
    id: number;
    form_id: number;
    version: number;
    title: FormText;
    definition: FormDefinition;
  }): VisitForm => ({
    id: row.id,
    formId: row.form_id,
    version: row.version,
    title: row.title,
    definition: row.definition,
  });

  return {
    async publishedForm(actor: Actor, formId: number) {
      const form = await db
        .selectFrom('forms')
        .select(['id', 'region_code'])
        .where('id', '=', formId)
        .executeTakeFirst();
      const related =
        form &&
        (actor.system === true ||
          actor.scopeCode.startsWith(form.region_code) ||
          form.region_code.startsWith(actor.scopeCode));
      if (!related) throw notFound(FORM, formId);
      const row = await versions()
        .where('v.form_id', '=', formId)
        .orderBy('v.version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row) {
        const message = actor.locale === 'en-US' ? NOT_PUBLISHED.en : NOT_PUBLISHED.zh;
        throw new AppError(
          'VALIDATION_FAILED',
          { summary: { zh: `formId: ${NOT_PUBLISHED.zh}`, en: `formId: ${NOT_PUBLISHED.en}` } },
          { issues: [{ path: 'formId', message }] },
        );
      }
      return present(row);
    },
    async formVersion(versionId: number) {
      const row = await versions().where('v.id', '=', versionId).executeTakeFirst();
      if (!row) throw notFound(FORM, versionId);
      return present(row);
    },
  };
}
