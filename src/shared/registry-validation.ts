import type { LocalizedText } from './errors.ts';

/*
 * Pure checks of the registry's coded values, shared by the server (imports, API) and the web (forms): the
 * resident ID number (GB 11643), the unified social credit code (GB 32100), phone numbers, the masks personal
 * data is shown with, and the canonical text of a standard address. No Node, no DOM.
 */

export const REGISTRY_VALIDATION_TEXT = {
  idFormat: {
    zh: '身份证号应为 18 位：前 17 位为数字，最后一位为数字或 X',
    en: 'an ID number has 18 characters: 17 digits, then a digit or X',
  },
  idRegion: {
    zh: '身份证号前两位 {code} 不是有效的省级行政区划代码',
    en: 'the first two digits {code} of the ID number are not a province code',
  },
  idBirthDate: {
    zh: '身份证号中的出生日期 {date} 无效',
    en: 'the birth date {date} in the ID number is not a valid date',
  },
  idCheckDigit: { zh: '身份证号校验位错误', en: 'ID number check digit is wrong' },
  usccFormat: {
    zh: '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）',
    en: 'a unified social credit code has 18 digits or capital letters (no I, O, S, V or Z)',
  },
  usccCheck: {
    zh: '统一社会信用代码校验位错误',
    en: 'unified social credit code check character is wrong',
  },
  phone: {
    zh: '电话号码“{value}”无效，应为 11 位手机号或带区号的固定电话（如 0757-86501234）',
    en: 'phone "{value}" is invalid: give an 11-digit mobile number or a landline with its area code (e.g. 0757-86501234)',
  },
} as const satisfies Record<string, LocalizedText>;

export type Sex = 'male' | 'female';

export interface IdNumberFacts {
  /** Upper-case, as stored. */
  idNumber: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: Sex;
  /** The 6-digit division code of the place the number was issued (birth or first registration). */
  areaCode: string;
}

export type CheckResult<T> =
  | { ok: true; value: T }
  | { ok: false; problem: LocalizedText; params?: Record<string, string> };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';
/** Province-level codes of GB/T 2260, plus 83 (residence permits of Taiwan residents). */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

/** The GB 11643 check character of the first 17 digits: Σ(digit × weight) mod 11 looked up in "10X98765432". */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

/**
 * Checks a resident ID number (公民身份号码, GB 11643-1999): 17 digits and a check character, a province
 * code, a real birth date not after `today`, and the check character. Gives the birth date and sex it encodes
 * (the 17th digit is odd for men). Spaces are ignored and a lower-case x accepted.
 */
export function checkIdNumber(input: string, today: Date = new Date()): CheckResult<IdNumberFacts> {
  const value = input.replace(/\s+/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: REGISTRY_VALIDATION_TEXT.idFormat };
  const province = value.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    return { ok: false, problem: REGISTRY_VALIDATION_TEXT.idRegion, params: { code: province } };
  }
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (
    year < 1900 ||
    birth.getUTCFullYear() !== year ||
    birth.getUTCMonth() !== month - 1 ||
    birth.getUTCDate() !== day ||
    birth.getTime() > today.getTime()
  ) {
    return { ok: false, problem: REGISTRY_VALIDATION_TEXT.idBirthDate, params: { date: birthDate } };
  }
  if (idNumberCheckChar(value) !== value[17]) {
    return { ok: false, problem: REGISTRY_VALIDATION_TEXT.idCheckDigit };
  }
  return {
    ok: true,
    value: {
      idNumber: value,
      birthDate,
      sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
      areaCode: value.slice(0, 6),
    },
  };
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The GB 32100 check character of the first 17 characters: 31 − (Σ value × 3^i mod 31) mod 31. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] ?? '';
}

/**
 * Checks a unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of the code's
 * alphabet (digits and capitals without I, O, S, V, Z), the 6-digit division code in positions 3–8, and the
 * check character. Spaces are ignored, lower case accepted.
 */
export function checkUscc(input: string): CheckResult<string> {
  const value = input.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) {
    return { ok: false, problem: REGISTRY_VALIDATION_TEXT.usccFormat };
  }
  if (usccCheckChar(value) !== value[17]) return { ok: false, problem: REGISTRY_VALIDATION_TEXT.usccCheck };
  return { ok: true, value };
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/**
 * A phone number as people write it — spaces, brackets and a +86 or 86 prefix dropped — checked as an 11-digit
 * mobile number or a landline with its area code. Empty gives null.
 */
export function checkPhone(input: string): CheckResult<string | null> {
  const value = input
    .replace(/[\s()（）]/g, '')
    .replace(/^\+?86(?=1[3-9]\d{9}$)/, '')
    .replace(/^\+?86-?(?=[1-9]\d{1,2}-?\d{7,8}$)/, '0');
  if (!value) return { ok: true, value: null };
  if (MOBILE.test(value) || LANDLINE.test(value)) return { ok: true, value };
  return { ok: false, problem: REGISTRY_VALIDATION_TEXT.phone, params: { value: input.trim() } };
}

/** `440605199001011234` → `440605********1234`: the issuing place and the last four, as the glossary shows it. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}

/** `13812345678` → `138****5678`; a landline keeps its area code: `0757-86501234` → `0757-****1234`. */
export function maskPhone(phone: string): string {
  const landline = /^(0\d{2,3})-?(\d{7,8})$/.exec(phone);
  if (landline) return `${landline[1]}-****${(landline[2] ?? '').slice(-4)}`;
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** The parts of a standard address (标准地址), below the village. */
export interface AddressParts {
  road: string;
  number: string;
  building?: string | null | undefined;
  unit?: string | null | undefined;
  room?: string | null | undefined;
}

/**
 * One part as written, compared without its decoration: full-width forms folded (NFKC), letters in capitals,
 * spaces and punctuation dropped (dashes kept: 3-1号 is not 31号), and the part's own suffix taken off ("3号"
 * and "3" are the same door number).
 */
/** Text that NFKC leaves as it is: printable ASCII and the CJK unified ideographs (not the compatibility ones). */
const NFKC_STABLE = /^[\u0020-\u007e\u4e00-\u9fff]*$/;

/**
 * `text.normalize('NFKC')` (full-width letters and digits folded to ASCII), skipping the call for text it would
 * not change: most registry text, and an import normalises every cell it compares.
 */
export function nfkc(text: string): string {
  return NFKC_STABLE.test(text) ? text : text.normalize('NFKC');
}

function canonicalPart(value: string | null | undefined, suffixes?: RegExp): string {
  const text = nfkc(value ?? '')
    .toUpperCase()
    .replace(/號/g, '号')
    .replace(/[—–‐]/g, '-')
    .replace(/[\s_·.,，。、()（）#'"“”‘’]/g, '');
  return suffixes ? text.replace(suffixes, '') : text;
}

/**
 * The canonical text of an address: each part without decoration, followed by its standard suffix —
 * "河清大道 3 号 1 幢 2 单元 302" and "河清大道3号1栋2单元302室" both give `河清大道3号1栋2单元302室`. It is
 * the address's natural key within its village and what the list shows.
 */
export function canonicalAddress(parts: AddressParts): string {
  const road = canonicalPart(parts.road);
  const number = canonicalPart(parts.number, /号$/);
  const building = canonicalPart(parts.building, /(号楼|栋|幢|座|楼)$/);
  const unit = canonicalPart(parts.unit, /单元$/);
  const room = canonicalPart(parts.room, /(室|房|号)$/);
  return (
    `${road}${number}号` +
    (building ? `${building}栋` : '') +
    (unit ? `${unit}单元` : '') +
    (room ? `${room}室` : '')
  );
}

/** Whole years between a birth date (YYYY-MM-DD) and `on`. */
export function ageOn(birthDate: string, on: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number);
  const today = { year: on.getUTCFullYear(), month: on.getUTCMonth() + 1, day: on.getUTCDate() };
  const before = today.month < (month ?? 1) || (today.month === month && today.day < (day ?? 1));
  return today.year - (year ?? today.year) - (before ? 1 : 0);
}
