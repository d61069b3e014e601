import { describe, expect, it } from 'vitest';
import {
  locateHeader,
  normalizePhone,
  parseReceivedAt,
  readSheet,
  suggestMapping,
} from './hotline-import.ts';

describe('reading a 12345 export', () => {
  it('reads received times as hotline platforms write them, in Beijing time', () => {
    const at = '2026-11-20T01:30:00.000Z';
    for (const written of [
      '2026-11-20 09:30',
      '2026/11/20 9:30:00',
      '2026年11月20日 09时30分',
      '2026.11.20 09:30',
    ]) {
      expect(parseReceivedAt(written), written).toEqual(new Date(at));
    }
    expect(parseReceivedAt('2026-11-20T09:30:00+08:00')).toEqual(new Date(at));
    expect(parseReceivedAt('2026年11月20日 09时30分15秒')).toEqual(new Date('2026-11-20T01:30:15.000Z'));
    // A spreadsheet date cell carries the time it shows as if it were UTC.
    expect(parseReceivedAt(new Date('2026-11-20T09:30:00Z'))).toEqual(new Date(at));
    expect(parseReceivedAt('')).toBeNull();
    for (const bad of ['2026-02-30 10:00', '2026-11-20 25:00', '昨天', '45992.5']) {
      expect(parseReceivedAt(bad), bad).toBe('invalid');
    }
  });

  it('keeps phone numbers people can call back, and masked ones, and refuses the rest', () => {
    expect(normalizePhone('+86 138 0013 8000')).toBe('13800138000');
    expect(normalizePhone('(0757)86501234')).toBe('075786501234');
    expect(normalizePhone('0757-86501234')).toBe('0757-86501234');
    expect(normalizePhone('138****5678')).toBe('138****5678');
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone('12345')).toBe('invalid');
    expect(normalizePhone('13800138000/13900139000')).toBe('invalid');
  });

  it('recognises the usual headers, whatever marks surround them', () => {
    expect(
      suggestMapping([
        '* 工单号',
        '来电时间',
        '事项分类',
        '问题描述（详细）',
        '事发地点',
        'lng',
        'lat',
        '所属村居',
      ]),
    ).toEqual({
      orderNo: '* 工单号',
      receivedAt: '来电时间',
      category: '事项分类',
      description: '问题描述（详细）',
      address: '事发地点',
      lon: 'lng',
      lat: 'lat',
      region: '所属村居',
      callerName: null,
      callerPhone: null,
    });
  });

  it('finds the header row below a title, names blank and repeated headers, and reads tab-separated UTF-16', async () => {
    const text = '九江镇工单导出\n工单编号\t诉求内容\t\t诉求内容\nA1\t内容一\tx\t内容二\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const sheet = await readSheet(bytes);
    expect(sheet.encoding).toBe('utf-16le');
    const table = locateHeader(sheet);
    expect(table).toMatchObject({ headerRow: 2, headers: ['工单编号', '诉求内容', '#3', '诉求内容 (2)'] });
    expect(table.rows).toEqual([{ number: 3, cells: ['A1', '内容一', 'x', '内容二'] }]);
  });
});
