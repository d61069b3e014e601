import { describe, expect, it } from 'vitest';
import { idNumberSchema, registryPhoneSchema, usccSchema } from './registry.ts';
import {
  ageOn,
  canonicalAddress,
  checkIdNumber,
  checkPhone,
  checkUscc,
  idNumberCheckChar,
  maskIdNumber,
  maskPhone,
  nfkc,
  usccCheckChar,
} from './registry-validation.ts';

const TODAY = new Date('2026-11-23T00:00:00Z');

/** A valid number for an area, birth date and sequence: the check character computed the standard's way. */
function idNumber(area: string, birth: string, sequence: string): string {
  const first17 = `${area}${birth}${sequence}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the standard’s own example and reads its birth date and sex', () => {
    // GB 11643-1999 appendix: 北京市朝阳区, born 1949-12-31, sequence 002 (even: female), check character X.
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', areaCode: '110105' },
    });
  });

  it('computes the check character as Σ(digit × weight) mod 11 into "10X98765432"', () => {
    // Σ for 11010519491231002 is 167; 167 mod 11 = 2 → 'X'.
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44060519900101123')).toBe(idNumber('440605', '19900101', '123').slice(-1));
  });

  it('reads an odd sequence digit as male, and accepts a lower-case x and spaces', () => {
    const male = idNumber('440605', '19850615', '031');
    expect(checkIdNumber(male, TODAY)).toMatchObject({
      ok: true,
      value: { sex: 'male', birthDate: '1985-06-15' },
    });
    expect(checkIdNumber(' 11010519491231002x ', TODAY)).toMatchObject({
      ok: true,
      value: { idNumber: '11010519491231002X' },
    });
  });

  it('rejects every single-digit typo by its check character', () => {
    const valid = idNumber('440605', '19900101', '123');
    for (let position = 0; position < 17; position++) {
      const digit = Number(valid[position]);
      const typo = `${valid.slice(0, position)}${(digit + 1) % 10}${valid.slice(position + 1)}`;
      const result = checkIdNumber(typo, TODAY);
      // A typo may also break the province or date; either way it never passes.
      expect(result.ok, `typo at ${position}: ${typo}`).toBe(false);
    }
    const wrongCheck = `${valid.slice(0, 17)}${valid[17] === '0' ? '1' : '0'}`;
    expect(checkIdNumber(wrongCheck, TODAY)).toMatchObject({
      ok: false,
      problem: { zh: '身份证号校验位错误', en: 'ID number check digit is wrong' },
    });
  });

  it('names what is wrong: length, province, birth date', () => {
    expect(checkIdNumber('44060519900101123', TODAY)).toMatchObject({
      ok: false,
      problem: { en: /18 characters/ },
    });
    expect(checkIdNumber('4406051990010112AX', TODAY)).toMatchObject({ ok: false });
    expect(checkIdNumber(idNumber('990605', '19900101', '123'), TODAY)).toMatchObject({
      ok: false,
      params: { code: '99' },
    });
    for (const birth of ['19900230', '19901301', '18991231', '20270101']) {
      expect(checkIdNumber(idNumber('440605', birth, '123'), TODAY)).toMatchObject({
        ok: false,
        problem: { zh: expect.stringContaining('出生日期') },
      });
    }
    expect(checkIdNumber(idNumber('440605', '20000229', '123'), TODAY).ok).toBe(true);
  });

  it('gives the shared zod schema the same message in both languages', () => {
    const valid = idNumber('440605', '19900101', '123');
    const wrong = `${valid.slice(0, 17)}${valid[17] === '0' ? '1' : '0'}`;
    const parsed = idNumberSchema.safeParse(wrong);
    expect(parsed.error?.issues[0]?.message).toBe('身份证号校验位错误|ID number check digit is wrong');
    expect(idNumberSchema.parse(` ${valid.toLowerCase()} `)).toBe(valid);
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accepts the standard’s example and real codes', () => {
    // 91350100M000100Y43: the example of GB 32100-2015; the others are published codes of large companies.
    for (const code of ['91350100M000100Y43', '91440300708461136T', '91110108551385082Q']) {
      expect(checkUscc(code)).toEqual({ ok: true, value: code });
    }
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('rejects a changed character by its check character, and letters outside the alphabet', () => {
    expect(checkUscc('91350100M000100Y44')).toMatchObject({
      ok: false,
      problem: { zh: '统一社会信用代码校验位错误' },
    });
    expect(checkUscc('91350100M000200Y43').ok).toBe(false);
    // I, O, S, V and Z are not in the code's alphabet (they look like 1, 0, 5, U and 2).
    expect(checkUscc('91350100M0001O0Y43')).toMatchObject({
      ok: false,
      problem: { en: /no I, O, S, V or Z/ },
    });
    expect(checkUscc('9135010')).toMatchObject({ ok: false });
    expect(usccSchema.parse('91350100m000100y43')).toBe('91350100M000100Y43');
  });
});

describe('phones', () => {
  it('takes mobile numbers and landlines as people write them', () => {
    expect(checkPhone('138 1234 5678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkPhone('+86 13812345678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkPhone('0757-86501234')).toEqual({ ok: true, value: '0757-86501234' });
    expect(checkPhone('(0757)86501234')).toEqual({ ok: true, value: '075786501234' });
    expect(checkPhone('')).toEqual({ ok: true, value: null });
    expect(registryPhoneSchema.parse(' 139-1234-5678 '.replace(/-/g, ''))).toBe('13912345678');
  });

  it('rejects what cannot be dialled, naming the value', () => {
    for (const bad of ['12812345678', '1381234567', '86501234', 'abc']) {
      expect(checkPhone(bad)).toMatchObject({ ok: false, params: { value: bad } });
    }
  });
});

describe('masks', () => {
  it('shows the issuing place and the last four of an ID number', () => {
    expect(maskIdNumber('440605199001011234')).toBe('440605********1234');
  });

  it('shows the first three and last four of a mobile, the area code and last four of a landline', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0757-86501234')).toBe('0757-****1234');
    expect(maskPhone('075786501234')).toBe('0757-****1234');
  });
});

describe('standard address text', () => {
  it('folds full-width letters, digits and compatibility ideographs, and leaves plain text as it is', () => {
    expect(nfkc('Ｂ座１０１室')).toBe('B座101室');
    // U+F900, a compatibility ideograph, is U+8C48 once normalised: outside the range that skips normalising.
    expect(nfkc('\uF900村')).toBe('\u8C48村');
    expect(nfkc('河清大道3号')).toBe('河清大道3号');
  });

  it('gives one canonical text however the parts are written', () => {
    const canonical = '河清大道3号1栋2单元302室';
    expect(canonicalAddress({ road: '河清大道', number: '3', building: '1', unit: '2', room: '302' })).toBe(
      canonical,
    );
    expect(
      canonicalAddress({
        road: ' 河清 大道 ',
        number: '３号',
        building: '1幢',
        unit: '2单元',
        room: '302房',
      }),
    ).toBe(canonical);
    expect(
      canonicalAddress({ road: '河清大道', number: '3號', building: '1号楼', unit: '2', room: '302室' }),
    ).toBe(canonical);
  });

  it('keeps what tells addresses apart: dashes in numbers, letters of buildings, missing parts', () => {
    expect(canonicalAddress({ road: '沙口路', number: '3-1' })).toBe('沙口路3-1号');
    expect(canonicalAddress({ road: '沙口路', number: '31' })).toBe('沙口路31号');
    expect(canonicalAddress({ road: '沙口路', number: '8', building: 'b座' })).toBe('沙口路8号B栋');
    expect(canonicalAddress({ road: '沙口路', number: '8', room: '101' })).toBe('沙口路8号101室');
  });
});

describe('age', () => {
  it('counts whole years up to the day', () => {
    expect(ageOn('1949-12-31', TODAY)).toBe(76);
    expect(ageOn('1950-11-23', TODAY)).toBe(76);
    expect(ageOn('1950-11-24', TODAY)).toBe(75);
  });
});
