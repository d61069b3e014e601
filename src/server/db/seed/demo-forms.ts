/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm expressions name questions as ${name} */
import type { FormDefinitionInput } from '../../../shared/forms.ts';
import { formDefinitionSchema } from '../../../shared/forms.ts';
import type { Services } from '../../deps.ts';
import { systemActor } from '../../modules/people/actor.ts';

/** The code of the demo's door-to-door form; the demo visit campaign is built on its published version. */
export const DEMO_VISIT_FORM_CODE = 'sanxun-yiwanshan';

/**
 * 三询问一完善: who lives here, have they been tested, is the home safe, what hardship do they have — and
 * complete the registry (the head's phone and the people living there update it). Choosing "bulky rubbish"
 * raises a case in 06011 积存垃圾渣土, the community's rubbish queue.
 */
export const SANXUN_DEFINITION = {
  questions: [
    {
      name: 'intro',
      type: 'note',
      label: {
        zh: '三询问一完善：问清谁住在这里、是否已检测、居家是否安全、有何困难，并完善登记信息。',
        en: 'Three questions and one completion: who lives here, tested or not, is the home safe, what hardship — and complete the registry.',
      },
    },
    {
      name: 'lives_here',
      type: 'yesNo',
      label: { zh: '是否有人常住', en: 'Does anyone live here?' },
      required: true,
    },
    {
      name: 'resident_count',
      type: 'integer',
      label: { zh: '实际居住人数', en: 'People living here' },
      hint: { zh: '包括租户和借住人员', en: 'Tenants and guests included' },
      required: true,
      relevant: "${lives_here} = 'yes'",
      constraint: '. >= 1 and . <= 30',
      constraintMessage: { zh: '居住人数应在 1 到 30 之间', en: 'Between 1 and 30 people' },
      registryField: 'household.residentCount',
    },
    {
      name: 'head_phone',
      type: 'phone',
      label: { zh: '户主联系电话', en: "Household head's phone" },
      relevant: "${lives_here} = 'yes'",
      registryField: 'household.headPhone',
    },
    {
      name: 'tested',
      type: 'selectOne',
      label: { zh: '家庭成员是否已检测', en: 'Have the household been tested?' },
      relevant: "${lives_here} = 'yes'",
      required: true,
      choices: [
        { value: 'all', label: { zh: '全部已检测', en: 'All tested' } },
        { value: 'some', label: { zh: '部分已检测', en: 'Some tested' } },
        { value: 'none', label: { zh: '均未检测', en: 'None tested' } },
      ],
    },
    {
      name: 'untested_count',
      type: 'integer',
      label: { zh: '未检测人数', en: 'People not tested' },
      relevant: "${tested} = 'some' or ${tested} = 'none'",
      required: true,
      constraint: '. >= 1 and . <= ${resident_count}',
      constraintMessage: {
        zh: '未检测人数应在 1 和居住人数之间',
        en: 'Between 1 and the people living here',
      },
    },
    {
      name: 'home_safe',
      type: 'yesNo',
      label: {
        zh: '居家是否安全（燃气、用电、消防通道）',
        en: 'Is the home safe (gas, wiring, fire exits)?',
      },
      required: true,
    },
    {
      name: 'safety_issue',
      type: 'text',
      label: { zh: '安全隐患说明', en: 'What is unsafe' },
      relevant: "${home_safe} = 'no'",
      required: true,
      constraint: 'string-length(.) >= 4',
      constraintMessage: {
        zh: '请至少写 4 个字说明隐患',
        en: 'Describe the hazard in at least 4 characters',
      },
    },
    {
      name: 'hardship',
      type: 'selectMultiple',
      label: { zh: '有何困难', en: 'What hardship do they have?' },
      required: true,
      choices: [
        { value: 'none', label: { zh: '没有困难', en: 'None' } },
        {
          value: 'bulky_rubbish',
          label: { zh: '大件垃圾需清运', en: 'Bulky rubbish to clear' },
          raisesCase: { categoryCode: '06011' },
        },
        { value: 'elderly_alone', label: { zh: '独居老人需照料', en: 'Elderly person living alone' } },
        { value: 'medical', label: { zh: '看病就医困难', en: 'Difficulty getting medical care' } },
        { value: 'income', label: { zh: '生活困难', en: 'Low income' } },
      ],
      constraint: "not(selected(., 'none') and count-selected(.) > 1)",
      constraintMessage: {
        zh: '“没有困难”不能与其他困难同选',
        en: '"None" cannot be chosen with another hardship',
      },
    },
    {
      name: 'hardship_note',
      type: 'text',
      label: { zh: '困难情况说明', en: 'About the hardship' },
      relevant: "count-selected(${hardship}) > 0 and not(selected(${hardship}, 'none'))",
    },
    {
      name: 'photo',
      type: 'photo',
      label: { zh: '现场照片（可选）', en: 'Photo (optional)' },
    },
  ],
} satisfies FormDefinitionInput;

/**
 * The checks of the demo checkpoint 河清社区北入口卡点 (卡点通行检查), asked on the phone's log screen beside the
 * temperature the screen always asks: where the person has been, and with how many. Each has a rule and a
 * message, so a newcomer sees a check refused as the form says.
 */
export const CHECKPOINT_CHECKS_DEFINITION = {
  questions: [
    {
      name: 'risk_area',
      type: 'yesNo',
      label: { zh: '14 天内到过中高风险地区', en: 'Been to a medium- or high-risk area in 14 days' },
      required: true,
    },
    {
      name: 'risk_place',
      type: 'text',
      label: { zh: '到过的地区', en: 'Where' },
      relevant: "${risk_area} = 'yes'",
      required: true,
      constraint: 'string-length(.) >= 2',
      constraintMessage: {
        zh: '请写明到过的地区（至少 2 个字）',
        en: 'Name the place (at least 2 characters)',
      },
    },
    {
      name: 'companions',
      type: 'integer',
      label: { zh: '同行人数', en: 'Travelling with' },
      constraint: '. >= 0 and . <= 9',
      constraintMessage: { zh: '同行人数应在 0 到 9 之间', en: 'Between 0 and 9 people' },
    },
  ],
} satisfies FormDefinitionInput;

/**
 * Creates the published demo forms (marked synthetic) owned by the town: 三询问一完善 for the demo visit campaign
 * (found by its code), and the checkpoint checks. Returns the checkpoint form's id, for the demo checkpoint.
 */
export async function loadDemoForms(
  services: Services,
  townCode: string,
): Promise<{ checkpointFormId: number }> {
  const demo = systemActor('demo');
  await services.forms.createForm(
    demo,
    {
      code: DEMO_VISIT_FORM_CODE,
      title: {
        zh: '三询问一完善入户走访表（演示）',
        en: 'Door-to-door visit: three questions, one completion (demo)',
      },
      regionCode: townCode,
      definition: formDefinitionSchema.parse(SANXUN_DEFINITION),
    },
    { publish: true, synthetic: true },
  );
  const checks = await services.forms.createForm(
    demo,
    {
      code: 'kadian-tongxing',
      title: { zh: '卡点通行检查（演示）', en: 'Checkpoint checks (demo)' },
      regionCode: townCode,
      definition: formDefinitionSchema.parse(CHECKPOINT_CHECKS_DEFINITION),
    },
    { publish: true, synthetic: true },
  );
  return { checkpointFormId: checks.id };
}
