import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../components/time.ts';
import { maskPhone } from './format.ts';

describe('maskPhone', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the area code and last four digits of a landline', () => {
    expect(maskPhone('0757-86501234')).toBe('0757-****1234');
  });

  it('shows numbers the server already masked as they are, and nothing for no number', () => {
    expect(maskPhone('138****5678')).toBe('138****5678');
    expect(maskPhone(null)).toBe('');
  });
});

describe('formatDateTime', () => {
  it('shows instants in Asia/Shanghai, 24-hour', () => {
    expect(formatDateTime('2026-11-23T16:30:00Z')).toBe('2026-11-24 00:30');
    expect(formatDateTime('2026-10-01T01:05:00Z')).toBe('2026-10-01 09:05');
  });
});
