import { Alert, Button, Card, Form, Input, InputNumber, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DueQuery } from '../../../shared/calendar.ts';
import { TIME_UNIT_LABELS, TIME_UNITS } from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useDueCalculation } from './api.ts';

interface Values {
  /** 'YYYY-MM-DDTHH:mm', wall-clock time in the calendar's zone. */
  start: string;
  amount: number;
  unit: DueQuery['unit'];
}

/**
 * 期限计算: when a step starting at a given time with a given limit is due, counted on the stored calendar
 * exactly as case steps are — for checking a category's limit, or a case's due time.
 */
export function DueCalculator({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [query, setQuery] = useState<DueQuery | null>(null);
  const answer = useDueCalculation(query);
  // The console shows times in Asia/Shanghai (components/time.ts); so is the start read when the calendar
  // counts in that zone, otherwise in the browser's.
  const toInstant = (wall: string) =>
    timeZone === 'Asia/Shanghai' ? `${wall}:00+08:00` : new Date(wall).toISOString();

  return (
    <Card title={t('calendar.due.title')} style={{ marginTop: 16 }} data-testid="due-calculator">
      <Typography.Paragraph type="secondary">{t('calendar.due.help')}</Typography.Paragraph>
      <Form<Values>
        layout="inline"
        initialValues={{ amount: 2, unit: 'workingDays' }}
        onFinish={(values) =>
          setQuery({ start: toInstant(values.start), amount: values.amount, unit: values.unit })
        }
      >
        <Form.Item name="start" label={t('calendar.due.start')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="amount" label={t('calendar.due.amount')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} />
        </Form.Item>
        <Form.Item name="unit" label={t('calendar.due.unit')}>
          <Select
            style={{ width: 140 }}
            options={TIME_UNITS.map((unit) => ({
              value: unit,
              label: pickLabel(TIME_UNIT_LABELS[unit], locale),
            }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={answer.isFetching}>
            {t('calendar.due.compute')}
          </Button>
        </Form.Item>
      </Form>
      {answer.isError ? (
        <Alert type="error" showIcon title={errorText(answer.error)} style={{ marginTop: 12 }} />
      ) : null}
      {answer.data ? (
        <Alert
          style={{ marginTop: 12 }}
          showIcon
          data-testid="due-answer"
          type={answer.data.due ? 'success' : 'warning'}
          title={
            answer.data.due
              ? t('calendar.due.answer', { due: formatDateTime(answer.data.due) })
              : t('calendar.due.beyond', { date: answer.data.lastKnownDate ?? '' })
          }
        />
      ) : null}
    </Card>
  );
}
