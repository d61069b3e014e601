import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Empty, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { StepDue, useCaseLabels } from '../cases/labels.tsx';
import type { FieldUser } from './FieldPage.tsx';
import { TASK_STATES, type TaskState, useFieldTasks } from './tasks.ts';
import { useOutboxItems } from './useOutbox.ts';

/** Case ids with a verification still in the outbox: not offered again until it is sent or discarded. */
export function useQueuedCaseIds(owner: number): Set<number> {
  const items = useOutboxItems(owner);
  return new Set(
    items.flatMap((item) =>
      item.kind === 'action' && item.status !== 'sent' && item.caseId ? [item.caseId] : [],
    ),
  );
}

/** One case as a card: number, category, state, due time, what (in full on the case's page) and where. */
export function TaskCard({
  task,
  extra,
  full = false,
}: {
  task: CaseSummary;
  extra?: ReactNode;
  full?: boolean;
}) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  return (
    <Card size="small" className="gg-field-task" data-testid="field-task">
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={6}>
          <Typography.Text strong>{task.caseNumber}</Typography.Text>
          <Tag color="blue">{labels.state(task.state)}</Tag>
          {task.reworkCount > 0 ? (
            <Tag color="orange">{t('field.tasks.rework', { count: task.reworkCount })}</Tag>
          ) : null}
        </Space>
        <Typography.Text>
          {task.categoryName} · {task.regionName}
        </Typography.Text>
        <Typography.Paragraph ellipsis={full ? false : { rows: 2 }} style={{ margin: 0 }}>
          {task.description}
        </Typography.Paragraph>
        {task.address ? <Typography.Text type="secondary">{task.address}</Typography.Text> : null}
        <StepDue summary={task} />
        {extra}
      </Space>
    </Card>
  );
}

/**
 * 我的任务: the cases waiting for the user, by state, each state with its count; verification and the case's
 * page one tap away.
 */
export function TasksTab({
  user,
  onVerify,
  onOpen,
}: {
  user: FieldUser;
  onVerify: (caseId: number) => void;
  onOpen: (caseId: number) => void;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<TaskState>('handled');
  const byState: Record<TaskState, ReturnType<typeof useFieldTasks>> = {
    handled: useFieldTasks(user.id, 'handled'),
    accepted: useFieldTasks(user.id, 'accepted'),
    reported: useFieldTasks(user.id, 'reported'),
  };
  const tasks = byState[state];
  const queued = useQueuedCaseIds(user.id);
  const stateLabels: Record<TaskState, string> = {
    handled: t('field.tasks.toVerify'),
    accepted: t('field.tasks.inProgress'),
    reported: t('field.tasks.reported'),
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented<TaskState>
        block
        value={state}
        onChange={setState}
        options={TASK_STATES.map((value) => ({
          value,
          label: (
            <span className="gg-field-segment">
              {stateLabels[value]}
              <Badge
                count={byState[value].total}
                showZero
                overflowCount={99}
                size="small"
                // Red only where the worker has to act (verify); grey when there is nothing.
                color={byState[value].total ? (value === 'handled' ? undefined : '#1677ff') : '#bfbfbf'}
                data-testid={`task-count-${value}`}
              />
            </span>
          ),
        }))}
      />
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('common.total', { count: tasks.total })}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={tasks.refetch} loading={tasks.fetching}>
          {t('field.tasks.refresh')}
        </Button>
      </Space>
      {tasks.savedAt ? (
        <Alert
          type="info"
          showIcon
          title={t('field.tasks.savedAt', { time: formatDateTime(tasks.savedAt) })}
        />
      ) : null}
      {tasks.error ? <Alert type="error" showIcon title={errorText(tasks.error)} /> : null}
      {tasks.loading ? <Spin className="gg-field-spin" /> : null}
      {!tasks.loading && !tasks.error && tasks.items.length === 0 ? (
        <Empty description={t('field.tasks.empty')} />
      ) : null}
      {tasks.items.map((task) => (
        <TaskCard
          key={task.id}
          task={task}
          extra={
            <Space wrap>
              {task.state === 'handled' && queued.has(task.id) ? (
                <Tag color="gold">{t('field.tasks.queued')}</Tag>
              ) : null}
              {task.state === 'handled' && !queued.has(task.id) ? (
                <Button type="primary" onClick={() => onVerify(task.id)}>
                  {t('field.tasks.verify')}
                </Button>
              ) : null}
              <Button onClick={() => onOpen(task.id)}>{t('field.tasks.open')}</Button>
            </Space>
          }
        />
      ))}
    </Space>
  );
}
