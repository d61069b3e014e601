import { type Locale, type LocalizedText, say } from '../../../shared/errors.ts';
import { MIN_PASSWORD_LENGTH } from '../../../shared/people.ts';
import { AppError } from '../../errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

const TEXT = {
  short: { zh: '密码至少 {min} 个字符', en: 'at least {min} characters' },
  common: {
    zh: '该密码过于常见，容易被猜中，请换一个',
    en: 'this password is among the most common ones and easily guessed; choose another',
  },
  username: { zh: '密码不能包含用户名', en: 'the password must not contain the username' },
  digits: {
    zh: '密码不能全是数字（手机号、生日等容易被猜中）',
    en: 'the password must not be digits only (phone numbers and dates are easily guessed)',
  },
  simple: {
    zh: '密码过于简单（重复字符或键盘顺序），请换一个',
    en: 'the password is too simple (repeated characters or a keyboard row); choose another',
  },
} as const satisfies Record<string, LocalizedText>;

// Rows of keys and digits in order (and reversed): "qwertyuiop", "0987654321", "asdfghjkl;".
const WALKS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'].flatMap(
  (row) => [row, [...row].reverse().join('')],
);

/**
 * Why a password is too weak, or null when it is strong enough: at least MIN_PASSWORD_LENGTH characters, not
 * digits only, not a common password (or a common stem followed by digits and symbols), not containing the
 * username, not a run of a few repeated characters or a keyboard row. The demo and test passwords
 * ('Gridgov@2026', 'Test-pass-2026') pass.
 */
export function passwordWeakness(password: string, username: string): LocalizedText | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return fill(TEXT.short, { min: MIN_PASSWORD_LENGTH });
  const lower = password.toLowerCase();
  if (/^\d+$/.test(password)) return TEXT.digits;
  const stem = lower.replace(/[\d\p{P}\p{S}\s]+$/u, '');
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(stem)) return TEXT.common;
  const name = username.trim().toLowerCase();
  if (name.length >= 3 && lower.includes(name)) return TEXT.username;
  if (new Set(lower).size < 4 || WALKS.some((walk) => walk.includes(lower))) return TEXT.simple;
  return null;
}

/** Refuses a weak password with VALIDATION_FAILED under the `password` field, in the actor's language. */
export function assertStrongPassword(password: string, username: string, locale: Locale): void {
  const weakness = passwordWeakness(password, username);
  if (!weakness) return;
  const message = say(weakness, locale);
  throw new AppError(
    'VALIDATION_FAILED',
    { summary: `password: ${message}` },
    { issues: [{ path: 'password', message }] },
  );
}

function fill(text: LocalizedText, params: Record<string, number>): LocalizedText {
  return { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) };
}
