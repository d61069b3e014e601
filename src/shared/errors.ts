/**
 * Every error a user can see has a code listed here, an HTTP status and a message in both UI languages.
 * Messages take `{name}` placeholders filled from the error's params, so the server can answer in the
 * language of the request and the web can show the same text for errors it raises itself.
 */
export type Locale = 'zh-CN' | 'en-US';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

interface ErrorDefinition {
  status: number;
  zh: string;
  en: string;
}

export const ERRORS = {
  VALIDATION_FAILED: {
    status: 400,
    zh: '输入有误：{summary}',
    en: 'Invalid input: {summary}',
  },
  NOT_AUTHENTICATED: {
    status: 401,
    zh: '请先登录。',
    en: 'Please log in first.',
  },
  LOGIN_FAILED: {
    status: 401,
    zh: '用户名或密码错误。多次失败后账号会被暂时锁定 {lockMinutes} 分钟（锁定期间同样如此提示），管理员可随时解锁。',
    en: 'Wrong username or password. After repeated failures an account is locked for {lockMinutes} minutes (and answers the same way meanwhile); an administrator can unlock it.',
  },
  LOGIN_THROTTLED: {
    status: 429,
    zh: '来自您所在网络地址的登录失败次数过多，请 {minutes} 分钟后再试。',
    en: 'Too many failed logins from your network address. Try again in {minutes} minutes.',
  },
  ACCOUNT_DISABLED: {
    status: 403,
    zh: '该账号已停用，请联系管理员。',
    en: 'This account is disabled. Contact an administrator.',
  },
  CSRF_FAILED: {
    status: 403,
    zh: '请求缺少有效的 CSRF 令牌，请刷新页面后重试。',
    en: 'The request has no valid CSRF token. Reload the page and try again.',
  },
  FORBIDDEN_ROLE: {
    status: 403,
    zh: '您的角色（{role}）无权执行此操作：{action}。',
    en: 'Your role ({role}) may not do this: {action}.',
  },
  FORBIDDEN_SCOPE: {
    status: 403,
    zh: '无权访问：{target} 不在您的数据范围（{scope}）内。',
    en: 'Access denied: {target} is outside your data scope ({scope}).',
  },
  NOT_FOUND: {
    status: 404,
    zh: '未找到{entity}：{id}。',
    en: '{entity} not found: {id}.',
  },
  CONFLICT: {
    status: 409,
    zh: '{entity} 已被他人修改（当前版本 {current}），请刷新后重试。',
    en: '{entity} was changed by someone else (now version {current}). Reload and try again.',
  },
  ALREADY_EXISTS: {
    status: 409,
    zh: '{entity}已存在：{id}。',
    en: '{entity} already exists: {id}.',
  },
  IN_USE: {
    status: 409,
    zh: '{entity}仍有 {count} 条{dependent}，不能删除。请先删除或改挂这些记录。',
    en: '{entity} still has {count} {dependent} records and cannot be deleted. Delete or move them first.',
  },
  ILLEGAL_TRANSITION: {
    status: 409,
    zh: '{text}',
    en: '{text}',
  },
  IMPORT_REJECTED: {
    status: 422,
    zh: '导入未执行：{count} 行有错误，数据库未作任何修改。请修正后重新导入。',
    en: 'Import not applied: {count} rows have errors and nothing was changed. Fix them and import again.',
  },
  INVALID_GEOMETRY: {
    status: 422,
    zh: '边界无效：{reason}',
    en: 'Invalid boundary: {reason}',
  },
  RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试。',
    en: 'Too many requests. Try again later.',
  },
  QUERY_TIMEOUT: {
    status: 503,
    zh: '查询超过 {seconds} 秒未完成，已被中止。请缩小范围（选择地区或输入更具体的关键词）后重试。',
    en: 'The query did not finish within {seconds} s and was stopped. Narrow it (choose a region or use more specific words) and try again.',
  },
  BACKUP_TARGET_NOT_EMPTY: {
    status: 409,
    zh: '未恢复：{target} 已有数据。恢复只写入空的数据目录（GRIDGOV_DATA_DIR）或空的数据库（DATABASE_URL），请指定一个空的目标后重试。',
    en: 'Nothing restored: {target} already holds data. A restore writes only into an empty data directory (GRIDGOV_DATA_DIR) or an empty database (DATABASE_URL); point it at an empty one and try again.',
  },
  BACKUP_INVALID: {
    status: 422,
    zh: '备份文件不可用：{reason}',
    en: 'The backup file cannot be used: {reason}',
  },
  BACKUP_FAILED: {
    status: 500,
    zh: '备份或恢复未完成：{reason}',
    en: 'The backup or restore did not complete: {reason}',
  },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误（编号 {requestId}），请稍后重试或联系管理员。',
    en: 'Internal server error (reference {requestId}). Try again later or contact an administrator.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

/** Text in both UI languages, for parameters such as entity names. */
export interface LocalizedText {
  zh: string;
  en: string;
}
export type ErrorParams = Record<string, string | number | LocalizedText>;

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** "名称（代码）" in Chinese, "name (code)" in English: how a coded thing is named in messages. */
export function labelWithCode(name: string, code: string | number): LocalizedText {
  return { zh: `${name}（${code}）`, en: `${name} (${code})` };
}

export function localize(text: LocalizedText, locale: Locale): string {
  return locale === 'en-US' ? text.en : text.zh;
}

export function fillTemplate(template: string, params: ErrorParams, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    if (value === undefined) return whole;
    return typeof value === 'object' ? localize(value, locale) : String(value);
  });
}

/** A bilingual text with `{name}` placeholders, in one language: the form every message here takes. */
export function say(text: LocalizedText, locale: Locale, params: ErrorParams = {}): string {
  return fillTemplate(localize(text, locale), params, locale);
}

export function errorMessage(code: ErrorCode, params: ErrorParams, locale: Locale): string {
  const def: ErrorDefinition = ERRORS[code];
  return fillTemplate(locale === 'en-US' ? def.en : def.zh, params, locale);
}

/** Picks the UI locale from an Accept-Language header; Chinese unless English is preferred. */
export function localeFromHeader(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en-US' : DEFAULT_LOCALE;
}

/**
 * Validation messages in the shared zod schemas are written "中文|English", because the same schema runs on
 * the server (answering in the request's language) and in the browser (in the UI's language).
 */
export function bilingual(zh: string, en: string): string {
  return `${zh}|${en}`;
}

export function pickLanguage(message: string, locale: Locale): string {
  const bar = message.indexOf('|');
  if (bar < 0) return message;
  return locale === 'en-US' ? message.slice(bar + 1) : message.slice(0, bar);
}
