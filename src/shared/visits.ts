/**
 * API shapes of inspection visits (检查记录), their rectification notice (检查意见书 / 整改通知书) and re-inspections
 * (回头看), shared by the server, the field view and the console.
 */
import { z } from 'zod';
import type { LocalizedText } from './errors.ts';
import type { AnswerProblem } from './inspection-scoring.ts';
import { ITEM_COMPARATORS, ITEM_OUTCOMES, ITEM_RULES, itemAnswerSchema, ROUND_KINDS } from './inspections.ts';

const evidenceId = z.string().regex(/^[0-9a-f]{64}$/);

export const recordVisitSchema = z.object({
  clientKey: z
    .string()
    .trim()
    .min(8)
    .max(100)
    .optional()
    .describe('Chosen by the phone: replaying its outbox returns the visit the first try made'),
  roundId: z.number().int(),
  targetId: z.number().int(),
  visitedAt: z.iso.datetime({ offset: true }).describe('When the inspector was on site'),
  lon: z.number().min(-180).max(180).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  note: z.string().trim().max(2000).default(''),
  personInCharge: z.string().trim().max(40).nullable().optional().describe('现场负责人'),
  signature: evidenceId
    .nullable()
    .optional()
    .describe('Evidence id of the signature drawn by the person in charge; required when the campaign asks'),
  answers: z.array(itemAnswerSchema).max(500),
});
export type RecordVisitInput = z.infer<typeof recordVisitSchema>;

export const reinspectSchema = z.object({
  outcome: z.enum(['pass', 'fail']),
  note: z.string().trim().max(1000).default(''),
  evidence: z.array(evidenceId).max(10).default([]),
});
export type ReinspectInput = z.infer<typeof reinspectSchema>;

/** Why an answer is refused, said next to the item (answers[i].field). */
export const ANSWER_PROBLEM_TEXT: Record<AnswerProblem, LocalizedText> = {
  missing: { zh: '该项未作答', en: 'this item is not answered' },
  unknownItem: { zh: '检查表中没有该项', en: 'the checklist has no such item' },
  duplicate: { zh: '该项重复作答', en: 'this item is answered twice' },
  valueRequired: { zh: '须填写得分或计数', en: 'a value (points or count) is required' },
  valueAbovePoints: { zh: '得分超过该项分值', en: 'the value exceeds the points of the item' },
  photoRequired: { zh: '须拍照', en: 'a photo is required' },
  notApplicableToSite: {
    zh: '该项不适用于此类场所，请选择“不适用”',
    en: 'this item does not apply to this kind of site: answer “not applicable”',
  },
};

const caseRefSchema = z.object({
  id: z.number().int(),
  caseNumber: z.string(),
  state: z.string(),
  dueAt: z.string().nullable().describe('When the rectification is due (the handling step)'),
  reworkCount: z.number().int(),
});

export const reinspectionSchema = z.object({
  id: z.number().int(),
  itemKey: z.string(),
  caseId: z.number().int(),
  inspectorName: z.string(),
  outcome: z.enum(['pass', 'fail']),
  note: z.string(),
  evidence: z.array(z.string()),
  at: z.string(),
});
export type Reinspection = z.infer<typeof reinspectionSchema>;

export const visitAnswerSchema = z.object({
  itemKey: z.string(),
  section: z.string(),
  question: z.string(),
  points: z.number(),
  veto: z.boolean(),
  immediate: z.boolean(),
  outcome: z.enum(ITEM_OUTCOMES),
  value: z.number().nullable(),
  earned: z.number(),
  applicable: z.number(),
  note: z.string(),
  evidence: z.array(z.string()),
  case: caseRefSchema.nullable().describe('The rectification case the failure became'),
});

export const visitDetailSchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  campaignName: z.string(),
  roundId: z.number().int(),
  roundNumber: z.number().int(),
  roundKind: z.enum(ROUND_KINDS),
  targetId: z.number().int(),
  targetName: z.string(),
  targetAddress: z.string().nullable(),
  siteType: z.string(),
  templateId: z.number().int(),
  inspectorName: z.string(),
  visitedAt: z.string(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  note: z.string(),
  personInCharge: z.string().nullable(),
  signature: z.string().nullable(),
  noticeNumber: z.string().describe('检查意见书编号, e.g. JC-2026-000123'),
  earned: z.number().describe('Raw points earned, before any veto'),
  applicable: z.number(),
  rawRate: z.number().nullable().describe('Raw score rate in percent, two decimals'),
  rate: z.number().nullable().describe('The score rate that counts, in percent: 0 when vetoed'),
  vetoedBy: z.string().nullable().describe('Key of the failed veto item (一票否决) that zeroed the score'),
  answers: z.array(visitAnswerSchema),
  reinspections: z.array(reinspectionSchema),
  createdAt: z.string(),
});
export type VisitDetail = z.infer<typeof visitDetailSchema>;

export const myReinspectionSchema = z
  .object({
    visitId: z.number().int(),
    noticeNumber: z.string().describe('The visit’s 检查意见书 number'),
    campaignId: z.number().int(),
    campaignName: z.string(),
    targetName: z.string(),
    targetAddress: z.string().nullable(),
    lon: z.number().nullable().describe('The target’s point (WGS-84), where there is one'),
    lat: z.number().nullable(),
    itemKey: z.string(),
    section: z.string(),
    question: z.string(),
    rule: z.enum(ITEM_RULES).describe('How the item is judged: pass/fail, graded points or a count'),
    comparator: z
      .enum(ITEM_COMPARATORS)
      .nullable()
      .describe('Count items: the count passes at or above/below'),
    threshold: z.number().nullable(),
    unit: z.string().nullable(),
    guidance: z.string().describe('测评标准: what the inspector checks'),
    inspectorName: z.string().describe('Who found the failure'),
    visitedAt: z.string(),
    note: z.string().describe('The inspector’s note on the failure'),
    evidence: z.array(z.string()).describe('Evidence ids of the photos of the failure'),
    caseId: z.number().int(),
    caseNumber: z.string(),
    reworkCount: z.number().int(),
    handledAt: z.string().nullable().describe('When the department reported it rectified'),
    handledNote: z.string().nullable().describe('What the department said it did'),
  })
  .describe('A failed item whose rectification case awaits verification: a 回头看 for the caller to make');
export type MyReinspection = z.infer<typeof myReinspectionSchema>;
