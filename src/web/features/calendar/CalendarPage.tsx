import { LeftOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { useCalendarYear } from './api.ts';
import { DayModal, LoadYearModal } from './CalendarDialogs.tsx';
import { knownUntil, yearRanges } from './calendarDays.ts';
import { DueCalculator } from './DueCalculator.tsx';
import { WorkingHoursForm } from './WorkingHoursForm.tsx';
import { YearGrid, YearGridLegend } from './YearGrid.tsx';

/**
 * 工作日历: the official holidays and make-up workdays deadlines are counted on, a year at a time, and the
 * working hours. Warns, before it matters, when next year's schedule is not loaded yet.
 */
export default function CalendarPage() {
  const { t } = useTranslation();
  // Today in the deployment's zone (Asia/Shanghai), which is what deadlines are counted in.
  const today = formatDateTime(new Date().toISOString()).slice(0, 10);
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [picked, setPicked] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const calendar = useCalendarYear(year);
  const data = calendar.data?.year === year ? calendar.data : undefined;
  const covered = calendar.data?.coveredYears ?? [];
  const nextYearMissing = calendar.data !== undefined && !covered.includes(thisYear + 1);
  const until = knownUntil(covered, thisYear);

  const openLoad = (target: number) => {
    setYear(target);
    setLoading(true);
  };

  return (
    <>
      <Card
        title={
          <Space>
            {t('calendar.title')}
            <Button
              type="text"
              size="small"
              icon={<LeftOutlined />}
              aria-label={t('calendar.previousYear')}
              onClick={() => setYear(year - 1)}
            />
            <span data-testid="calendar-year">{t('calendar.year', { year })}</span>
            <Button
              type="text"
              size="small"
              icon={<RightOutlined />}
              aria-label={t('calendar.nextYear')}
              onClick={() => setYear(year + 1)}
            />
            {data ? (
              <Tag color={data.covered ? 'green' : 'orange'}>
                {t(data.covered ? 'calendar.loadedTag' : 'calendar.notLoadedTag')}
              </Tag>
            ) : null}
          </Space>
        }
        extra={
          <Button icon={<UploadOutlined />} onClick={() => openLoad(year)} disabled={!data}>
            {t('calendar.loadYear', { year })}
          </Button>
        }
      >
        {calendar.isError ? (
          <Alert type="error" showIcon title={errorText(calendar.error)} style={{ marginBottom: 12 }} />
        ) : null}
        {nextYearMissing && year !== thisYear + 1 ? (
          <Alert
            type="warning"
            showIcon
            data-testid="next-year-missing"
            title={t('calendar.notLoaded', { year: thisYear + 1 })}
            description={t('calendar.nextYearMissingHelp', { year: thisYear + 1 })}
            action={
              <Button size="small" onClick={() => openLoad(thisYear + 1)}>
                {t('calendar.loadYear', { year: thisYear + 1 })}
              </Button>
            }
            style={{ marginBottom: 12 }}
          />
        ) : null}
        {data && !data.covered ? (
          <Alert
            type="warning"
            showIcon
            data-testid="year-not-loaded"
            title={t('calendar.notLoaded', { year })}
            description={t('calendar.notLoadedHelp', { year })}
            action={
              <Button size="small" type="primary" onClick={() => openLoad(year)}>
                {t('calendar.loadYear', { year })}
              </Button>
            }
            style={{ marginBottom: 12 }}
          />
        ) : null}
        {calendar.data ? (
          <Typography.Paragraph type="secondary">
            {[
              until ? t('calendar.knownUntil', { date: until }) : null,
              covered.length ? t('calendar.coveredYears', { years: yearRanges(covered) }) : null,
              data?.covered ? t('calendar.clickHint') : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Paragraph>
        ) : null}
        <YearGridLegend />
        {data ? (
          <YearGrid
            year={year}
            days={data.days}
            today={today}
            {...(data.covered ? { onPick: setPicked } : {})}
          />
        ) : (
          <PageSpinner />
        )}
      </Card>
      {data ? <WorkingHoursForm key={JSON.stringify(data.hours)} hours={data.hours} /> : null}
      {data ? <DueCalculator timeZone={data.hours.timeZone} /> : null}
      {picked && data ? (
        <DayModal year={year} date={picked} days={data.days} onClose={() => setPicked(null)} />
      ) : null}
      {loading && data ? (
        <LoadYearModal year={year} days={data.days} onClose={() => setLoading(false)} />
      ) : null}
    </>
  );
}
