/*
 * The all-routes scope walk's form data: a form owned by 河清 whose title, question and choice carry marker
 * strings, so an answer that shows them to 英明 has leaked (src/server/security/route-scope.test.ts).
 */
import type { TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

export const FORM_MARKERS = {
  formTitle: '河清秘密表单',
  formQuestion: '河清秘密题目',
};

/** Creates and publishes the 河清 form; the ids by the path segment that names them. */
export async function seedFormScope(ctx: TestContext, heqingCode: string): Promise<Record<string, string>> {
  const detail = await ctx.services.forms.createForm(
    systemActor('scope-walk'),
    {
      code: 'heqing-secret-form',
      title: { zh: FORM_MARKERS.formTitle },
      regionCode: heqingCode,
      definition: {
        questions: [
          {
            name: 'secret',
            type: 'selectOne',
            label: { zh: FORM_MARKERS.formQuestion },
            required: false,
            choices: [{ value: 'a', label: { zh: `${FORM_MARKERS.formQuestion}选项` } }],
          },
        ],
      },
    },
    { publish: true },
  );
  return { forms: String(detail.id), 'form-versions': String(detail.current.id) };
}
