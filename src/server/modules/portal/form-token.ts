import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The portal's bot trap without an outside CAPTCHA service: a report carries a token issued when the form was
 * opened, signed with the server's portal secret. A token younger than a person could fill the form in, older
 * than a session of filling in, or not signed here is refused, and a token sends one report (the service
 * records its signature as used). Together with the honeypot field (a field hidden from people that simple
 * bots fill in) and the per-IP rate limit, this keeps scripted floods out.
 */

/** Nobody picks a category, a place and writes a description in under three seconds. */
export const MIN_FILL_MS = 3_000;
/** A form left open longer than this is opened anew (the page fetches a new token and sends again). */
export const MAX_FILL_MS = 2 * 3_600_000;

/** A token checked: `ok` with the signature that names it (recorded once used), or why it is refused. */
export type FormTokenCheck =
  | { ok: true; signature: string }
  | { ok: false; reason: 'tooSoon' | 'expired' | 'invalid' };

/** `<issued ms>.<nonce>.<signature>`: the nonce tells apart forms opened in the same millisecond. */
export function issueFormToken(secret: string, now: Date): string {
  const issued = `${now.getTime()}.${randomBytes(9).toString('base64url')}`;
  return `${issued}.${sign(secret, `form:${issued}`)}`;
}

export function checkFormToken(secret: string, token: string, now: Date): FormTokenCheck {
  const [issued, nonce, signature, ...rest] = token.split('.');
  if (
    !issued ||
    !nonce ||
    !signature ||
    rest.length > 0 ||
    !/^\d{1,15}$/.test(issued) ||
    !same(signature, sign(secret, `form:${issued}.${nonce}`))
  ) {
    return { ok: false, reason: 'invalid' };
  }
  const age = now.getTime() - Number(issued);
  if (age < MIN_FILL_MS) return { ok: false, reason: 'tooSoon' };
  if (age > MAX_FILL_MS) return { ok: false, reason: 'expired' };
  return { ok: true, signature };
}

/** The key a portal reporter gets with the ticket number, needed to rate the handling: derived, not stored. */
export function ratingKeyOf(secret: string, ticketNo: string): string {
  return sign(secret, `rating:${ticketNo}`).slice(0, 22);
}

export function isRatingKey(secret: string, ticketNo: string, key: string): boolean {
  return same(key, ratingKeyOf(secret, ticketNo));
}

function sign(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
