import { describe, expect, it } from 'vitest';
import type { BulletinContent } from '../../../shared/bulletins.ts';
import { DEFAULT_SCHEME } from '../../../shared/indicators.ts';
import {
  areaName,
  changeText,
  defaultText,
  headlineText,
  isCalendarWeek,
  lastWeek,
} from './bulletin-text.ts';

/** The worked example of issue 14: 处置率 92.78, 按期处置率 82.47 … composite 91.55. */
const content: BulletinContent = {
  language: 'zh',
  scope: { code: '440605121', name: '九江镇' },
  period: { from: '2026-11-23', to: '2026-11-29' },
  previous: { from: '2026-11-16', to: '2026-11-22' },
  scheme: { version: 1, components: [...DEFAULT_SCHEME] },
  total: {
    reported: 104,
    registered: 100,
    handled: 90,
    closed: 88,
    overduePending: 7,
    dueForHandling: 97,
    handlingRate: 90 / 97,
    onTimeHandlingRate: 80 / 97,
    closureRate: 88 / 95,
    reworkRate: 5 / 97,
    overduePendingRate: 7 / 97,
    extensionRate: 3 / 97,
    composite: 91.546,
    previousComposite: 90.1,
  },
  unitKind: 'village',
  units: [],
  departments: [],
  overdue: [{ name: '英明社区', count: 7, caseNumbers: [] }],
  reworked: [],
  inspections: [],
  redList: { units: [], departments: [] },
  blackList: { units: ['沙口村'], departments: [] },
};

describe('bulletin prose', () => {
  it('says the figures as the tables print them', () => {
    expect(headlineText(content)).toBe(
      '本周（2026年11月23日至2026年11月29日），全镇共上报问题 104 宗，已立案 100 宗，已办结 88 宗，办结率 92.63%，按期处置率 82.47%。' +
        '应处置 97 宗，已处置 90 宗，处置率 92.78%；返工率 5.15%；期末超期待处置 7 宗，超期待处置率 7.22%；延期率 3.09%。' +
        '综合得分 91.55 分，较上期上升 1.45 分（考核方案第 1 版）。',
    );
  });

  it('says 本期 for a period that is not a calendar week, and skips the composite when nothing was due', () => {
    const month = {
      ...content,
      period: { from: '2026-11-01', to: '2026-11-30' },
      total: { ...content.total, dueForHandling: 0, composite: null },
    };
    expect(headlineText(month)).toMatch(/^2026年11月1日至2026年11月30日，全镇共上报问题 104 宗/);
    expect(headlineText(month)).toContain('本期无应处置案件，不计综合得分。');
  });

  it('writes English for an English reader', () => {
    expect(headlineText({ ...content, language: 'en' })).toMatch(
      /^This week \(2026-11-23 to 2026-11-29\), 九江镇 reported 104 problems; 100 were registered and 88 closed/,
    );
  });

  it('starts with a title, office and closing from the area', () => {
    const text = defaultText({ ...content, scope: { code: '440605121015', name: '河清社区居委会' } });
    expect(text.title).toBe('河清社区网格化服务管理工作周通报');
    expect(text.office).toBe('河清社区网格化服务管理中心');
    expect(text.closing).toContain('请各责任单位对 7 宗超期待处置案件立即处置');
    expect(text.closing).toContain('请沙口村认真查找原因');
    expect(defaultText(content, '九江镇综治办').office).toBe('九江镇综治办');
    expect(areaName('英明村村民委员会')).toBe('英明村');
  });

  it('finds last week, Monday to Sunday, from any day of this one', () => {
    expect(lastWeek('2026-12-02')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(lastWeek('2026-11-30')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(lastWeek('2026-12-06')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(lastWeek('2027-01-01')).toEqual({ from: '2026-12-21', to: '2026-12-27' });
    expect(isCalendarWeek({ from: '2026-11-23', to: '2026-11-29' })).toBe(true);
    expect(isCalendarWeek({ from: '2026-11-24', to: '2026-11-30' })).toBe(false);
    expect(changeText(90, 91.2)).toBe('−1.20');
    expect(changeText(null, 91.2)).toBe('—');
  });
});
