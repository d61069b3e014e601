import type { Locale } from '../../shared/errors.ts';
import type { PublicRegistrationInput } from '../../shared/registrations.ts';
import { idNumberCheckChar } from '../../shared/registry-validation.ts';
import type { TestContext } from './test-database.ts';

/** A valid resident ID number (GB 11643) born on `birth` (YYYYMMDD), issued in 南海区. */
export function validIdNumber(birth: string, sequence: number): string {
  const first17 = `440605${birth}${String(sequence).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** What a registration of 河清 carries that no other village's user may ever see (the scope walk's markers). */
export const REGISTRATION_MARKERS = {
  registrantName: '甄报备河清',
  registrantId: validIdNumber('19850607', 321),
  registrantPhone: '13900002222',
  registrantOrigin: '河清秘来处',
};

/** A registration as the public form sends it, without its form token. */
export function registrationInput(
  overrides: Partial<PublicRegistrationInput> = {},
): Omit<PublicRegistrationInput, 'formToken'> {
  return {
    name: '李到达',
    idNumber: validIdNumber('19900101', 123),
    phone: '13812345678',
    origin: '湖南省长沙市',
    arrivedAt: '2026-11-22T20:00:00Z',
    address: '河清社区 沙口路 3 号',
    ...overrides,
  };
}

/**
 * A registration made through the service as the public form makes it (a form token aged past the minimum fill
 * time, so the test clock moves 5 s). Returns its id.
 */
export async function registerThroughForm(
  ctx: TestContext,
  input: Omit<PublicRegistrationInput, 'formToken'>,
  locale: Locale = 'zh-CN',
): Promise<{ id: number; receiptCode: string; late: boolean }> {
  const { token } = await ctx.services.portal.formToken();
  ctx.clock.advance(5_000);
  const answer = await ctx.services.registrations.register({ ...input, formToken: token }, locale);
  const row = await ctx.database.db
    .selectFrom('registrations')
    .select('id')
    .where('receipt_code', '=', answer.receiptCode)
    .executeTakeFirstOrThrow();
  return { id: row.id, receiptCode: answer.receiptCode, late: answer.late };
}

/** 河清's registration for the all-routes scope walk: its name, ID number, phone and origin are markers. */
export async function seedHeqingRegistration(
  ctx: TestContext,
  point: { lon: number; lat: number },
): Promise<number> {
  const arrived = new Date(ctx.clock.now().getTime() - 2 * 3_600_000).toISOString();
  const { id } = await registerThroughForm(
    ctx,
    registrationInput({
      name: REGISTRATION_MARKERS.registrantName,
      idNumber: REGISTRATION_MARKERS.registrantId,
      phone: REGISTRATION_MARKERS.registrantPhone,
      origin: REGISTRATION_MARKERS.registrantOrigin,
      arrivedAt: arrived,
      ...point,
    }),
  );
  return id;
}
