import { Col, Row } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDayInput } from '../../../shared/calendar.ts';
import { useLocale } from '../../i18n/index.ts';
import { isWeekend, monthWeeks, worksOn } from './calendarDays.ts';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
// 2024-01-01 was a Monday: the first seven days name the weekdays, Monday first.
const WEEK = Array.from({ length: 7 }, (_, i) => Date.UTC(2024, 0, 1 + i));

/**
 * A year at a glance: twelve small months, days off marked 休 and make-up workdays 班 (text beside the colour,
 * never colour alone), each day a button when the year can be edited.
 */
export function YearGrid({
  year,
  days,
  today,
  onPick,
}: {
  year: number;
  days: readonly CalendarDayInput[];
  today: string;
  /** Absent: the year is shown but not editable. */
  onPick?: (date: string) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const weekdayName = new Intl.DateTimeFormat(locale, { weekday: 'narrow', timeZone: 'UTC' });

  return (
    <Row gutter={[16, 16]} align="stretch" data-testid="year-grid">
      {MONTHS.map((month) => (
        <Col key={month} xs={24} sm={12} lg={8} xxl={6}>
          <div className="gg-cal-month">
            <div className="gg-cal-month-title">{monthName.format(Date.UTC(year, month - 1, 1))}</div>
            <table className="gg-cal-table">
              <thead>
                <tr>
                  {WEEK.map((time) => (
                    <th key={time}>{weekdayName.format(time)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {monthWeeks(year, month).map((week) => (
                  <tr key={week.find(Boolean)}>
                    {week.map((date, i) => {
                      // biome-ignore lint/suspicious/noArrayIndexKey: a blank cell is nothing but its place in the week
                      if (!date) return <td key={i} />;
                      const entry = byDate.get(date);
                      const works = worksOn(date, entry);
                      const mark = entry ? (works ? t('calendar.work') : t('calendar.rest')) : null;
                      const classes = [
                        'gg-cal-day',
                        entry && !works ? 'gg-cal-rest' : '',
                        entry && works ? 'gg-cal-work' : '',
                        !entry && isWeekend(date) ? 'gg-cal-weekend' : '',
                        date === today ? 'gg-cal-today' : '',
                      ];
                      const label = [date, mark, entry?.name].filter(Boolean).join(' ');
                      return (
                        <td key={date}>
                          <button
                            type="button"
                            className={classes.filter(Boolean).join(' ')}
                            data-testid={`day-${date}`}
                            title={label}
                            aria-label={label}
                            disabled={!onPick}
                            onClick={() => onPick?.(date)}
                          >
                            {Number(date.slice(8))}
                            {mark ? <span className="gg-cal-mark">{mark}</span> : null}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Col>
      ))}
    </Row>
  );
}

/** The key to the colours and marks of the grid. */
export function YearGridLegend() {
  const { t } = useTranslation();
  return (
    <div className="gg-cal-legend">
      <span>
        <span className="gg-cal-day gg-cal-rest gg-cal-swatch">
          <span className="gg-cal-mark">{t('calendar.rest')}</span>
        </span>
        {t('calendar.legendRest')}
      </span>
      <span>
        <span className="gg-cal-day gg-cal-work gg-cal-swatch">
          <span className="gg-cal-mark">{t('calendar.work')}</span>
        </span>
        {t('calendar.legendWork')}
      </span>
      <span>
        <span className="gg-cal-day gg-cal-weekend gg-cal-swatch">6</span>
        {t('calendar.legendWeekend')}
      </span>
    </div>
  );
}
