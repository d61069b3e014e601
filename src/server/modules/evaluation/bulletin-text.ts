/**
 * The prose of a bulletin (通报), written from its figures and nothing else, so every number in the text is the
 * number in its tables and in the ranking it came from. Pure: the service and the tests call it alike.
 */
import type { BulletinContent, BulletinLanguage, BulletinText } from '../../../shared/bulletins.ts';

const DAY_MS = 86_400_000;

/** A rate 0…1 as "92.78%", as the tables print it; "—" when there is none. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`;
}

/** A composite score as "91.55"; "—" when the unit had nothing due. */
export function scoreText(score: number | null): string {
  return score === null ? '—' : score.toFixed(2);
}

/** The change of a composite against the previous period: "+1.20", "−0.35", "—". */
export function changeText(now: number | null, before: number | null): string {
  if (now === null || before === null) return '—';
  const delta = Math.round((now - before) * 100) / 100;
  if (delta === 0) return '0.00';
  return delta > 0 ? `+${delta.toFixed(2)}` : `−${Math.abs(delta).toFixed(2)}`;
}

/** Whether a period is one week, Monday to Sunday: the text then says 本周 rather than 本期. */
export function isCalendarWeek(period: { from: string; to: string }): boolean {
  const days = (Date.parse(period.to) - Date.parse(period.from)) / DAY_MS + 1;
  return days === 7 && new Date(`${period.from}T00:00:00Z`).getUTCDay() === 1;
}

/** Monday to Sunday of the week before the one `today` (YYYY-MM-DD, Asia/Shanghai) falls in. */
export function lastWeek(today: string): { from: string; to: string } {
  const day = new Date(`${today}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  const monday = day.getTime() - sinceMonday * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(monday - 7 * DAY_MS), to: iso(monday - DAY_MS) };
}

/** 全镇 / 全街道 / 全村 / 全社区 / 全区, from the length of the code and the end of the name. */
export function areaWord(code: string, name: string): string {
  if (code.length >= 12) return name.includes('社区') ? '全社区' : '全村';
  if (code.length >= 9) return name.includes('街道') ? '全街道' : '全镇';
  if (code.length >= 6) return '全区';
  return '全域';
}

/** "2026年11月23日", as Chinese documents write dates. */
export function chineseDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** "河清社区居委会" → "河清社区": the area as a title names it, without the committee's suffix. */
export function areaName(name: string): string {
  return name.replace(/(居民委员会|村民委员会|居委会|村委会)$/, '') || name;
}

export function defaultOffice(scopeName: string, language: BulletinLanguage): string {
  return language === 'en'
    ? `${scopeName} Grid Service and Management Centre`
    : `${scopeName}网格化服务管理中心`;
}

export function defaultTitle(
  scopeName: string,
  period: { from: string; to: string },
  language: BulletinLanguage,
) {
  const weekly = isCalendarWeek(period);
  if (language === 'en') return `${scopeName} grid service and management ${weekly ? 'weekly ' : ''}bulletin`;
  return `${scopeName}网格化服务管理工作${weekly ? '周' : ''}通报`;
}

/** The headline paragraph: the area's figures in one paragraph of prose. */
export function headlineText(content: BulletinContent): string {
  return content.language === 'en' ? headlineEn(content) : headlineZh(content);
}

function headlineZh(c: BulletinContent): string {
  const t = c.total;
  const when = isCalendarWeek(c.period)
    ? `本周（${chineseDate(c.period.from)}至${chineseDate(c.period.to)}）`
    : `${chineseDate(c.period.from)}至${chineseDate(c.period.to)}`;
  const area = areaWord(c.scope.code, c.scope.name);
  const parts = [
    `${when}，${area}共上报问题 ${t.reported} 宗，已立案 ${t.registered} 宗，已办结 ${t.closed} 宗，办结率 ${percentText(t.closureRate)}，按期处置率 ${percentText(t.onTimeHandlingRate)}。`,
  ];
  if (t.dueForHandling === 0) {
    parts.push('本期无应处置案件，不计综合得分。');
  } else {
    parts.push(
      `应处置 ${t.dueForHandling} 宗，已处置 ${t.handled} 宗，处置率 ${percentText(t.handlingRate)}；返工率 ${percentText(t.reworkRate)}；期末超期待处置 ${t.overduePending} 宗，超期待处置率 ${percentText(t.overduePendingRate)}；延期率 ${percentText(t.extensionRate)}。`,
    );
    const change = changeText(t.composite, t.previousComposite);
    parts.push(
      `综合得分 ${scoreText(t.composite)} 分${change === '—' ? '' : `，较上期${change.startsWith('+') ? '上升' : change.startsWith('−') ? '下降' : '持平'}${change === '0.00' ? '' : ` ${change.slice(1)} 分`}`}（考核方案第 ${c.scheme.version} 版）。`,
    );
  }
  return parts.join('');
}

function headlineEn(c: BulletinContent): string {
  const t = c.total;
  const when = isCalendarWeek(c.period)
    ? `This week (${c.period.from} to ${c.period.to})`
    : `From ${c.period.from} to ${c.period.to}`;
  const parts = [
    `${when}, ${c.scope.name} reported ${t.reported} problems; ${t.registered} were registered and ${t.closed} closed: closure rate ${percentText(t.closureRate)}, on-time handling rate ${percentText(t.onTimeHandlingRate)}.`,
  ];
  if (t.dueForHandling === 0) {
    parts.push(' No case was due for handling, so there is no composite score.');
  } else {
    parts.push(
      ` Of ${t.dueForHandling} cases due for handling, ${t.handled} were handled: handling rate ${percentText(t.handlingRate)}; rework rate ${percentText(t.reworkRate)}; ${t.overduePending} pending past their deadline at the end of the period, overdue-pending rate ${percentText(t.overduePendingRate)}; extension rate ${percentText(t.extensionRate)}.`,
    );
    const change = changeText(t.composite, t.previousComposite);
    parts.push(
      ` Composite score ${scoreText(t.composite)}${change === '—' ? '' : ` (${change} against the previous period)`}, scheme version ${c.scheme.version}.`,
    );
  }
  return parts.join('');
}

/** The default closing paragraph (下一步工作要求), which reviewers usually rewrite. */
export function closingText(c: BulletinContent): string {
  const overdue = c.overdue.reduce((sum, u) => sum + u.count, 0);
  const black = [...c.blackList.units, ...c.blackList.departments];
  if (c.language === 'en') {
    return [
      overdue > 0
        ? `The ${overdue} cases pending past their deadline are to be handled at once and reported back.`
        : '',
      black.length ? `${black.join(', ')}: find the causes of the low scores and improve.` : '',
      'Every unit keeps its patrols daily and reports problems as it finds them.',
    ]
      .filter(Boolean)
      .join(' ');
  }
  return [
    overdue > 0 ? `请各责任单位对 ${overdue} 宗超期待处置案件立即处置并及时反馈。` : '',
    black.length ? `请${black.join('、')}认真查找原因，限期整改提升。` : '',
    '各村（社区）、各部门要坚持日巡查，做到问题早发现、早上报、早处置。',
  ].join('');
}

/** The text a new bulletin starts with. */
export function defaultText(content: BulletinContent, office?: string): BulletinText {
  return {
    title: defaultTitle(areaName(content.scope.name), content.period, content.language),
    office: office ?? defaultOffice(areaName(content.scope.name), content.language),
    headline: headlineText(content),
    closing: closingText(content),
  };
}
