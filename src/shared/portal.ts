import { z } from 'zod';
import { attributeValuesSchema } from './attributes.ts';
import { categoryAttributeSchema } from './cases.ts';
import { bilingual } from './errors.ts';

/**
 * The public resident portal's API (/api/v1/public): no account, no session. What a resident may send and
 * what anyone may read of a case — never a reporter's name or phone.
 */

/** The stages a resident follows a case through; rejected and merged cases end closed too. */
export const PUBLIC_STAGES = ['received', 'registered', 'dispatched', 'handled', 'closed'] as const;
export type PublicStage = (typeof PUBLIC_STAGES)[number];

/** At most this many photos go with one report. */
export const MAX_PORTAL_PHOTOS = 4;

/**
 * A ticket code (受理查询码): 16 characters of Crockford base32, random per case, given to the resident when
 * they report. Not the case number (案件编号), which is sequential and could be guessed or counted through.
 */
export const TICKET_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** A ticket code as typed: case, spaces and dashes do not matter, and I, L, O read as 1, 1, 0. */
export function normalizeTicketCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** `K7QM3XRD9WB2HN4T` → `K7QM-3XRD-9WB2-HN4T`: easier to read out and copy. */
export function formatTicketCode(code: string): string {
  return TICKET_CODE_PATTERN.test(code) ? (code.match(/.{4}/g) ?? [code]).join('-') : code;
}

/**
 * The ticket in a path: any text up to 40 characters, so that a wrong or old-style number (a case number) is
 * simply not found (404), as a code that does not exist is.
 */
export const ticketNoSchema = z.string().trim().min(1).max(40).describe('The ticket code (受理查询码)');

export const portalCategorySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  group: z.string().describe('The major class'),
  attributes: z
    .array(categoryAttributeSchema)
    .describe('Extra fields asked for with a report, in their order'),
});
export type PortalCategory = z.infer<typeof portalCategorySchema>;

export const formTokenSchema = z.object({
  token: z
    .string()
    .describe('Goes back with the report; refused when sent sooner than a person could fill it in'),
});

const photoId = z.string().regex(/^[0-9a-f]{64}$/);

export const portalReportSchema = z.object({
  categoryId: z.number().int(),
  description: z
    .string()
    .trim()
    .min(5, bilingual('请至少写 5 个字', 'write at least 5 characters'))
    .max(1000),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  photos: z.array(photoId).max(MAX_PORTAL_PHOTOS).default([]).describe('Uploaded first: POST /public/photos'),
  name: z.string().trim().max(40).optional().describe('Optional; kept private, seen by staff only'),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s-]{5,20}$/, bilingual('请填写有效的电话号码', 'enter a valid phone number'))
    .optional()
    .describe('Optional; kept private, seen by staff only'),
  attributes: attributeValuesSchema.optional(),
  formToken: z.string().max(200).describe('From GET /public/form-token'),
  website: z.string().max(200).optional().describe('Leave out: a field people never see; bots fill it in'),
  clientKey: z
    .string()
    .trim()
    .min(8)
    .max(100)
    .optional()
    .describe('Idempotency key: a retry gets the same ticket'),
});
export type PortalReport = z.infer<typeof portalReportSchema>;

export const portalReportAnswerSchema = z.object({
  ticketNo: z
    .string()
    .describe('The ticket code (受理查询码) to follow the report by: 16 characters, random'),
  ratingKey: z.string().describe('Shown to the reporter once: needed to rate the handling after closure'),
});
export type PortalReportAnswer = z.infer<typeof portalReportAnswerSchema>;

export const publicTicketSchema = z.object({
  ticketNo: z.string(),
  stage: z.enum(PUBLIC_STAGES),
  outcome: z.enum(['fixed', 'rejected', 'merged']).nullable().describe('How a closed case ended'),
  categoryName: z.string(),
  gridName: z.string(),
  departmentName: z.string().nullable().describe('The lead department (主办部门)'),
  description: z.string().describe('The report, or “内容已隐藏” when staff hid it'),
  descriptionHidden: z.boolean(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  photos: z.array(z.object({ id: photoId, kind: z.enum(['report', 'handled']) })),
  hiddenPhotos: z.number().int().describe('How many photos staff hid'),
  timeline: z.array(
    z.object({ id: z.number().int(), at: z.string(), stage: z.enum(PUBLIC_STAGES), text: z.string() }),
  ),
  reportedAt: z.string(),
  closedAt: z.string().nullable(),
  satisfaction: z.number().int().nullable(),
  rateable: z.boolean().describe('Closed, reported on the portal, not yet rated'),
});
export type PublicTicket = z.infer<typeof publicTicketSchema>;

export const portalRatingSchema = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(300).optional(),
  ratingKey: z.string().min(10).max(100),
});
