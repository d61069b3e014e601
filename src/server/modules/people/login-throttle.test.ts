import { describe, expect, it } from 'vitest';
import {
  accountShouldLock,
  addressRefusedUntil,
  loginThrottleOf,
  throttleAddress,
} from './login-throttle.ts';

describe('login throttling rules', () => {
  const throttle = loginThrottleOf({ maxFailedLogins: 5, lockMinutes: 15 });

  it('refuses an address after 4 × N failures, until its oldest failure leaves the window', () => {
    const oldest = new Date('2026-11-23T02:00:00Z');
    expect(addressRefusedUntil(throttle, { count: 19, oldest })).toBeNull();
    expect(addressRefusedUntil(throttle, { count: 20, oldest })).toEqual(new Date('2026-11-23T02:15:00Z'));
  });

  it('locks an account only after N failures from at least two addresses', () => {
    expect(accountShouldLock(throttle, { count: 50, addresses: 1 })).toBe(false);
    expect(accountShouldLock(throttle, { count: 4, addresses: 3 })).toBe(false);
    expect(accountShouldLock(throttle, { count: 5, addresses: 2 })).toBe(true);
  });

  it('counts an IPv6 client by its /64, which it can fill with addresses of its choosing', () => {
    expect(throttleAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
    expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(throttleAddress('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(throttleAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(throttleAddress(null)).toBe('unknown');
  });
});
