import { Alert, App, Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDayInput } from '../../../shared/calendar.ts';
import { errorText } from '../../api/client.ts';
import { useLocale } from '../../i18n/index.ts';
import { useSaveCalendarYear, withMoved } from './api.ts';
import { formatYearSchedule, isWeekend, parseYearSchedule, withDay, worksOn } from './calendarDays.ts';

interface DayFormValues {
  status: 'rest' | 'work';
  name?: string;
}

/** Makes one day a day off or a workday, with a name; "back to normal" drops the day's entry. */
export function DayModal({
  year,
  date,
  days,
  onClose,
}: {
  year: number;
  date: string;
  days: readonly CalendarDayInput[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<DayFormValues>();
  const save = useSaveCalendarYear();
  const entry = days.find((d) => d.date === date);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );

  const store = (change: { workday: boolean; name?: string } | null) =>
    save.mutate(
      { year, days: withDay(days, date, change) },
      {
        onSuccess: (saved) => {
          void message.success(withMoved(t('calendar.day.saved', { date }), saved.moved, t));
          onClose();
        },
      },
    );

  return (
    <Modal
      open
      title={t('calendar.day.title', { date, weekday })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        entry ? (
          <Button key="reset" onClick={() => store(null)} disabled={save.isPending}>
            {t('calendar.day.reset')}
          </Button>
        ) : null,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={save.isPending} onClick={() => form.submit()}>
          {t('common.save')}
        </Button>,
      ]}
    >
      {save.isError ? (
        <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Typography.Paragraph type="secondary">
        {t('calendar.day.plain', {
          status: t(isWeekend(date) ? 'calendar.day.plainRest' : 'calendar.day.plainWork'),
        })}
      </Typography.Paragraph>
      <Form<DayFormValues>
        form={form}
        layout="vertical"
        initialValues={{ status: worksOn(date, entry) ? 'work' : 'rest', name: entry?.name ?? '' }}
        onFinish={(values) =>
          store({ workday: values.status === 'work', ...(values.name ? { name: values.name } : {}) })
        }
      >
        <Form.Item name="status" label={t('calendar.day.status')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'rest', label: t('calendar.day.rest') },
              { value: 'work', label: t('calendar.day.work') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.day.name')}>
          <Input maxLength={40} placeholder={t('calendar.day.namePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Loads or replaces a whole year's schedule, typed or pasted from the State Council notice: one item a line,
 * checked as it is typed, every bad line named.
 */
export function LoadYearModal({
  year,
  days,
  onClose,
}: {
  year: number;
  days: readonly CalendarDayInput[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveCalendarYear();
  const [text, setText] = useState(() => formatYearSchedule(days));
  const parsed = useMemo(() => parseYearSchedule(text, year), [text, year]);
  const rest = parsed.days.filter((d) => !d.workday).length;

  const submit = () =>
    save.mutate(
      { year, days: parsed.days },
      {
        onSuccess: (saved) => {
          void message.success(withMoved(t('calendar.loaded', { year }), saved.moved, t));
          onClose();
        },
      },
    );

  return (
    <Modal
      open
      title={t('calendar.loadTitle', { year })}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: parsed.problems.length > 0 }}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Typography.Paragraph style={{ marginBottom: 4 }}>{t('calendar.loadHelp')}</Typography.Paragraph>
      <pre className="gg-cal-example">{t('calendar.loadExample', { year })}</pre>
      <Input.TextArea
        aria-label={t('calendar.loadTitle', { year })}
        value={text}
        onChange={(event) => setText(event.target.value)}
        autoSize={{ minRows: 10, maxRows: 18 }}
        spellCheck={false}
        style={{ fontFamily: 'monospace' }}
      />
      <div style={{ marginTop: 12 }}>
        {parsed.problems.length ? (
          <Alert
            type="error"
            showIcon
            title={
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {parsed.problems.map((problem) => (
                  <li key={`${problem.line}:${problem.reason}`}>
                    {t('calendar.problems.line', {
                      line: problem.line,
                      reason: t(`calendar.problems.${problem.reason}`, { value: problem.value, year }),
                    })}
                  </li>
                ))}
              </ul>
            }
          />
        ) : (
          <Alert
            type="warning"
            showIcon
            title={t('calendar.loadSummary', {
              count: parsed.days.length,
              rest,
              work: parsed.days.length - rest,
            })}
            description={t('calendar.loadWarning', { year })}
          />
        )}
        {save.isError ? (
          <Alert type="error" showIcon title={errorText(save.error)} style={{ marginTop: 12 }} />
        ) : null}
      </div>
    </Modal>
  );
}
