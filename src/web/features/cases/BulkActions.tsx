import { App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkAction, BulkOutcome, CaseSummary } from '../../../shared/cases.ts';
import type { Role } from '../../../shared/roles.ts';
import { errorText } from '../../api/client.ts';
import { useDepartments } from '../people/api.ts';
import { useBulkAction } from './api.ts';
import { useCaseLabels } from './labels.tsx';

/** Which bulk action a role may start, and the state a case must be in for it to make sense. */
const BULK: { action: BulkAction; roles: readonly Role[]; states: readonly string[] }[] = [
  { action: 'register', roles: ['dispatcher', 'administrator'], states: ['reported'] },
  { action: 'dispatch', roles: ['dispatcher', 'administrator'], states: ['registered'] },
  {
    action: 'supervise',
    roles: ['leader', 'administrator'],
    states: ['registered', 'dispatched', 'accepted', 'suspended', 'finished'],
  },
];

/**
 * The queue's bulk bar, shown while cases are selected (its outcome list stays open after the selection
 * is cleared): register, dispatch (by the routing rules or to one department) or supervise the
 * selected cases, then a list of what became of each — the server takes them one by one, so some may be
 * refused while the rest go through.
 */
export function BulkActions({
  role,
  selected,
  onDone,
}: {
  role: Role;
  selected: readonly CaseSummary[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useCaseLabels();
  const [action, setAction] = useState<BulkAction | null>(null);
  const [outcomes, setOutcomes] = useState<BulkOutcome[] | null>(null);
  const [form] = Form.useForm<{ leadDepartmentId?: number; note?: string }>();
  const departments = useDepartments();
  const run = useBulkAction();
  const available = BULK.filter((b) => b.roles.includes(role));
  if (available.length === 0) return null;

  const eligible = (bulk: (typeof BULK)[number]) => selected.filter((c) => bulk.states.includes(c.state));
  const submit = async () => {
    const bulk = BULK.find((b) => b.action === action);
    if (!bulk) return;
    const values = await form.validateFields();
    const input = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
    try {
      const result = await run.mutateAsync({
        action: bulk.action,
        items: eligible(bulk).map((c) => ({ id: c.id, version: c.version })),
        input,
      });
      setAction(null);
      form.resetFields();
      setOutcomes(result.outcomes);
      onDone();
    } catch (error) {
      message.error(errorText(error));
    }
  };

  return (
    <>
      {selected.length > 0 ? (
        <Space wrap data-testid="bulk-actions" style={{ marginBottom: 12 }}>
          <span>{t('cases.bulk.selected', { count: selected.length })}</span>
          {available.map((bulk) => (
            <Button
              key={bulk.action}
              disabled={eligible(bulk).length === 0}
              onClick={() => setAction(bulk.action)}
            >
              {t(`cases.bulk.${bulk.action}`, { count: eligible(bulk).length })}
            </Button>
          ))}
        </Space>
      ) : null}
      <Modal
        open={action !== null}
        title={action ? t(`cases.bulk.${action}`, { count: selected.length }) : ''}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={run.isPending}
        onOk={() => void submit()}
        onCancel={() => setAction(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {action === 'dispatch' ? (
            <Form.Item
              name="leadDepartmentId"
              label={t('cases.fields.leadDepartment')}
              extra={t('cases.bulk.byRulesHint')}
            >
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('cases.bulk.byRules')}
                loading={departments.isPending}
                options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item name="note" label={t('cases.action.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={outcomes !== null}
        title={t('cases.bulk.resultTitle', {
          done: outcomes?.filter((o) => !o.error).length ?? 0,
          failed: outcomes?.filter((o) => o.error).length ?? 0,
        })}
        footer={<Button onClick={() => setOutcomes(null)}>{t('common.close')}</Button>}
        onCancel={() => setOutcomes(null)}
        width={680}
      >
        <Table<BulkOutcome>
          rowKey="id"
          size="small"
          pagination={false}
          data-testid="bulk-outcomes"
          dataSource={outcomes ?? []}
          columns={[
            {
              key: 'case',
              title: t('cases.fields.caseNumber'),
              render: (_, o) => o.caseNumber ?? selected.find((c) => c.id === o.id)?.caseNumber ?? o.id,
            },
            {
              key: 'outcome',
              title: t('cases.bulk.outcome'),
              render: (_, o) =>
                o.error ? (
                  <span>
                    <Tag color="red">{t('cases.bulk.refused')}</Tag>
                    {o.error.message}
                  </span>
                ) : (
                  <Tag color="green">{labels.state(o.state ?? '')}</Tag>
                ),
            },
          ]}
        />
      </Modal>
    </>
  );
}
