import type { ErrorCode, ErrorParams, LocalizedText } from '../shared/errors.ts';

/**
 * The one error type services throw. The HTTP layer turns it into `{ error: { code, message, details } }`
 * with the status and message of `code` (src/shared/errors.ts) in the request's language; the CLI prints the
 * message and exits non-zero.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly details?: unknown,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'AppError';
  }
}

/** Entity names used in messages, in both languages. */
export const ENTITY = {
  region: { zh: '行政区划', en: 'Region' },
  grid: { zh: '网格', en: 'Grid' },
  user: { zh: '用户', en: 'User' },
  department: { zh: '部门', en: 'Department' },
  route: { zh: '接口', en: 'API route' },
  category: { zh: '案件分类', en: 'Category' },
  routingRule: { zh: '派遣规则', en: 'Routing rule' },
  case: { zh: '案件', en: 'Case' },
  evidence: { zh: '证据材料', en: 'Evidence' },
  hotlineImport: { zh: '12345 工单导入记录', en: 'Hotline import' },
  webhook: { zh: 'Webhook 推送', en: 'Webhook' },
  webhookDelivery: { zh: '推送记录', en: 'Webhook delivery' },
  open311Endpoint: { zh: 'Open311 对接系统', en: 'Open311 endpoint' },
  open311Outbound: { zh: 'Open311 转送记录', en: 'Open311 send' },
  registryImport: { zh: '登记导入记录', en: 'Registry import' },
} satisfies Record<string, LocalizedText>;

export function notFound(entity: LocalizedText, id: string | number): AppError {
  return new AppError('NOT_FOUND', { entity, id });
}

export function conflict(entity: LocalizedText, current: number): AppError {
  return new AppError('CONFLICT', { entity, current });
}
