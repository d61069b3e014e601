import { z } from 'zod';
import { bilingual } from './errors.ts';

/** The case events a webhook can subscribe to; docs/API.md says which action sends which. */
export const WEBHOOK_EVENTS = [
  'case.reported',
  'case.registered',
  'case.rejected',
  'case.dispatched',
  'case.accepted',
  'case.returned',
  'case.finished',
  'case.reworked',
  'case.closed',
  'case.overdue',
  'case.supervised',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only on request ("send test event"), whatever the webhook subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(
    z.url({
      protocol: /^https?$/,
      error: bilingual(
        '请填写以 http:// 或 https:// 开头的完整地址',
        'a full address starting with http:// or https://',
      ),
    }),
  );

const secretSchema = z
  .string()
  .min(16, bilingual('密钥至少 16 个字符', 'the secret needs at least 16 characters'))
  .max(200)
  .describe('Leave out to have one generated');

const eventsSchema = z
  .array(
    z.enum(WEBHOOK_EVENTS, {
      error: bilingual(
        `未知的事件类型，可选：${WEBHOOK_EVENTS.join('、')}`,
        `unknown event; use one of ${WEBHOOK_EVENTS.join(', ')}`,
      ),
    }),
  )
  .min(1, bilingual('至少选择一种事件', 'choose at least one event'));

export const webhookSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  regionCode: z.string().describe('Only cases in this region are sent: the creator’s data scope'),
  regionName: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookCreatedSchema = webhookSchema.extend({
  secret: z.string().describe('Shown only in this answer: the key receivers check signatures with'),
});
export type WebhookCreated = z.infer<typeof webhookCreatedSchema>;

export const createWebhookSchema = z.object({
  name: z.string().trim().min(1).max(64),
  url: webhookUrlSchema,
  events: eventsSchema,
  secret: secretSchema.optional(),
});

export const updateWebhookSchema = z.object({
  version: z.number().int(),
  name: z.string().trim().min(1).max(64).optional(),
  url: webhookUrlSchema.optional(),
  events: eventsSchema.optional(),
  active: z.boolean().optional(),
  secret: secretSchema.optional().describe('A new secret; receivers must switch to it'),
});

export const deliverySchema = z.object({
  id: z.string().describe('The delivery id: X-Gridgov-Delivery, the same on every retry'),
  webhookId: z.number().int(),
  event: z.string(),
  caseId: z.number().int().nullable(),
  caseNumber: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const deliveryListQuerySchema = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** A page of the delivery log: newest first, `more` instead of a total (the log runs to millions). */
export const deliveryPageSchema = z.object({
  items: z.array(deliverySchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  more: z.boolean(),
});
export type DeliveryPage = z.infer<typeof deliveryPageSchema>;
