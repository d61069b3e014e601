import type { Config } from '../../config.ts';

/**
 * How failed logins are throttled, so that guessing is slow and an anonymous guesser cannot lock an
 * administrator out for long:
 *
 * 1. Per address first. An address with `maxFailedLogins × ADDRESS_ALLOWANCE` failures (any usernames) in the
 *    last `lockMinutes` is refused before any password is checked, until its oldest counted failure leaves the
 *    window. The allowance is generous because a town hall's staff often share one address behind NAT.
 * 2. Then the account. It locks for `lockMinutes` after `maxFailedLogins` failures in the window, but only when
 *    those failures came from at least `LOCK_MIN_ADDRESSES` addresses: one guesser on one address is slowed by
 *    rule 1 and never locks the account; only a spread attack does, and then briefly (an administrator can
 *    unlock it at once).
 *
 * A locked account answers exactly like a wrong password (same code, same text, same work), so the answer
 * does not tell a guesser that they hit a real, locked account. Failures live in the database, so the limits
 * hold across every process serving one database.
 */
export const ADDRESS_ALLOWANCE = 4;
export const LOCK_MIN_ADDRESSES = 2;

/** The address recorded for a login whose client address is unknown (the CLI, tests). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The address failures are counted under. An IPv6 client usually holds a whole /64 (and can pick any address in
 * it), so IPv6 addresses count by their /64; an IPv4-mapped address counts as the IPv4 address it carries.
 */
export function throttleAddress(ip: string | null): string {
  if (!ip) return UNKNOWN_ADDRESS;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]?.split('::') ?? [''];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export interface LoginThrottle {
  windowMs: number;
  addressLimit: number;
  accountLimit: number;
  lockMs: number;
}

export function loginThrottleOf(config: Pick<Config, 'maxFailedLogins' | 'lockMinutes'>): LoginThrottle {
  const windowMs = config.lockMinutes * 60_000;
  return {
    windowMs,
    addressLimit: config.maxFailedLogins * ADDRESS_ALLOWANCE,
    accountLimit: config.maxFailedLogins,
    lockMs: windowMs,
  };
}

/** Until when an address is refused, given its failures in the window; null when it may try. */
export function addressRefusedUntil(
  throttle: LoginThrottle,
  failures: { count: number; oldest: Date | null },
): Date | null {
  if (failures.count < throttle.addressLimit || !failures.oldest) return null;
  return new Date(failures.oldest.getTime() + throttle.windowMs);
}

/** True when the failures against an account (in the window, since any earlier lock) should lock it. */
export function accountShouldLock(
  throttle: LoginThrottle,
  failures: { count: number; addresses: number },
): boolean {
  return failures.count >= throttle.accountLimit && failures.addresses >= LOCK_MIN_ADDRESSES;
}
