import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WorkingHoursInput } from '../../../shared/calendar.ts';
import { errorText } from '../../api/client.ts';
import { useSaveWorkingHours, withMoved } from './api.ts';

// The server's own checks (working-time.ts) with messages in the UI language.
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_PERIODS = 6;

type Period = WorkingHoursInput['periods'][number];

/** Periods written HH:mm compare as text; each must end after it starts and before the next begins. */
function inOrder(periods: readonly Period[]): boolean {
  return periods.every((p, i) => p.start < p.end && (i === 0 || (periods[i - 1]?.end ?? '') <= p.start));
}

/** 工作时间: the periods of a workday in which working hours count (上午 and 下午 by default). */
export function WorkingHoursForm({ hours }: { hours: WorkingHoursInput }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ periods: Period[] }>();
  const save = useSaveWorkingHours();
  const periodLabel = (index: number) =>
    index === 0
      ? t('calendar.hours.morning')
      : index === 1
        ? t('calendar.hours.afternoon')
        : t('calendar.hours.period', { n: index + 1 });

  return (
    <Card title={t('calendar.hours.title')} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">
        {t('calendar.hours.help', { zone: hours.timeZone })}
      </Typography.Paragraph>
      {save.isError ? (
        <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Form<{ periods: Period[] }>
        form={form}
        initialValues={{ periods: hours.periods }}
        onFinish={(values) =>
          save.mutate(
            { periods: values.periods, timeZone: hours.timeZone },
            {
              onSuccess: (saved) =>
                void message.success(withMoved(t('calendar.hours.saved'), saved.moved, t)),
            },
          )
        }
      >
        <Form.List
          name="periods"
          rules={[
            {
              validator: async (_, periods: Period[]) => {
                if (
                  periods.every((p) => TIME.test(p.start ?? '') && TIME.test(p.end ?? '')) &&
                  !inOrder(periods)
                ) {
                  throw new Error(t('calendar.hours.order'));
                }
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                  <span style={{ display: 'inline-block', width: 64 }}>{periodLabel(index)}</span>
                  <Form.Item
                    name={[field.name, 'start']}
                    rules={[{ required: true, pattern: TIME, message: t('calendar.hours.format') }]}
                  >
                    <Input
                      aria-label={`${periodLabel(index)} ${t('calendar.hours.start')}`}
                      placeholder="08:30"
                      style={{ width: 96 }}
                    />
                  </Form.Item>
                  <span>–</span>
                  <Form.Item
                    name={[field.name, 'end']}
                    rules={[{ required: true, pattern: TIME, message: t('calendar.hours.format') }]}
                  >
                    <Input
                      aria-label={`${periodLabel(index)} ${t('calendar.hours.end')}`}
                      placeholder="12:00"
                      style={{ width: 96 }}
                    />
                  </Form.Item>
                  {fields.length > 1 ? (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={t('common.remove')}
                      onClick={() => remove(field.name)}
                    />
                  ) : null}
                </Space>
              ))}
              <Form.ErrorList errors={errors} />
              <Space style={{ marginTop: 8 }}>
                <Button
                  icon={<PlusOutlined />}
                  disabled={fields.length >= MAX_PERIODS}
                  onClick={() => add({ start: '', end: '' })}
                >
                  {t('calendar.hours.add')}
                </Button>
                <Button type="primary" htmlType="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Space>
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}
