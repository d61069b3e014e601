import { App, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/roles.ts';
import { type Assignment, taskInReach, type VolunteerRequest } from '../../../shared/volunteers.ts';
import { errorText } from '../../api/client.ts';
import { useMyTasks, useRequest, useRequests, useSign } from '../volunteers/api.ts';
import { shanghaiTime, shanghaiToday, useVolunteerLabels } from '../volunteers/labels.ts';
import type { FieldTab, FieldUser } from './FieldPage.tsx';

/** Who sees the tab: community staff, and volunteers with an account. */
export const VOLUNTEER_TAB_ROLES: readonly Role[] = ['administrator', 'gridWorker', 'volunteer'];

/**
 * 志愿 tab. Community staff see today's requests at their community and sign the volunteers sent in and out by
 * choosing them from the list (most volunteers have no account); a volunteer with an account sees the tasks
 * given to them and signs themself in and out. Online only: a sign-in is a moment at the community's desk.
 */
export function VolunteerTab({ user, onGo }: { user: FieldUser; onGo: (tab: FieldTab) => void }) {
  return user.role === 'volunteer' ? <MyTasks onGo={onGo} /> : <TodayAtCommunity />;
}

function TodayAtCommunity() {
  const { t } = useTranslation();
  const today = shanghaiToday();
  const requests = useRequests({ from: today, to: today, pageSize: 50 });
  const [open, setOpen] = useState<number | null>(null);
  const items = requests.data?.items ?? [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="volunteer-tab">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('volunteers.field.today')}
      </Typography.Title>
      {!items.length && !requests.isPending ? <Empty description={t('volunteers.field.none')} /> : null}
      {items.map((r) => (
        <RequestCard
          key={r.id}
          request={r}
          open={open === r.id}
          onToggle={() => setOpen(open === r.id ? null : r.id)}
        />
      ))}
    </Space>
  );
}

function RequestCard({
  request,
  open,
  onToggle,
}: {
  request: VolunteerRequest;
  open: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const labels = useVolunteerLabels();
  const detail = useRequest(open ? request.id : null);
  return (
    <Card size="small" onClick={open ? undefined : onToggle} data-testid={`volunteer-request-${request.id}`}>
      <Space orientation="vertical" style={{ width: '100%' }} size={4}>
        <Space wrap size={4} onClick={open ? onToggle : undefined}>
          <Tag color="blue">{labels.requestKind(request.kind)}</Tag>
          <Typography.Text strong>{request.title}</Typography.Text>
        </Space>
        <Typography.Text type="secondary">
          {request.startTime}–{request.endTime} · {request.place}
        </Typography.Text>
        <Typography.Text data-testid="volunteer-progress">
          {t('volunteers.field.progress', {
            signed: request.signedIn,
            filled: request.filled,
            wanted: request.wanted,
          })}
        </Typography.Text>
        {open ? (
          <List
            dataSource={detail.data?.assignments ?? []}
            loading={detail.isFetching && !detail.data}
            renderItem={(a) => <AssignmentRow assignment={a} />}
          />
        ) : null}
      </Space>
    </Card>
  );
}

function AssignmentRow({ assignment: a, title }: { assignment: Assignment; title?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sign = useSign();
  const act = (action: 'sign-in' | 'sign-out') =>
    sign.mutate({ id: a.id, action }, { onError: (error) => message.error(errorText(error)) });
  return (
    <List.Item
      data-testid={`assignment-${a.id}`}
      actions={[
        a.signedInAt ? null : (
          <Button key="in" type="primary" loading={sign.isPending} onClick={() => act('sign-in')}>
            {t('volunteers.field.signIn')}
          </Button>
        ),
        a.signedInAt && !a.signedOutAt ? (
          <Button key="out" loading={sign.isPending} onClick={() => act('sign-out')}>
            {t('volunteers.field.signOut')}
          </Button>
        ) : null,
      ].filter(Boolean)}
    >
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            {title ?? a.volunteerName}
            {a.partyMember && !title ? <Tag color="red">{t('volunteers.units.partyMember')}</Tag> : null}
          </Space>
        }
        description={
          <Space size={8} wrap>
            {title ? null : <span>{a.unitName}</span>}
            {a.signedInAt ? (
              <span>{t('volunteers.field.signedIn', { time: shanghaiTime(a.signedInAt) })}</span>
            ) : null}
            {a.signedOutAt ? (
              <span>{t('volunteers.field.signedOut', { time: shanghaiTime(a.signedOutAt) })}</span>
            ) : null}
          </Space>
        }
      />
    </List.Item>
  );
}

/**
 * The tools of a task the volunteer is signed in to (and not yet out of), within its reach (`taskInReach`: past
 * midnight too): the server lets them work in the request's community only while so (people/actor.ts), so the
 * buttons show only then.
 */
function TaskTools({
  request,
  assignment,
  onGo,
}: {
  request: VolunteerRequest;
  assignment: Assignment;
  onGo: (tab: FieldTab) => void;
}) {
  const { t } = useTranslation();
  // A task signed out of is done: no hint to sign in to it.
  if (assignment.signedOutAt) return null;
  const open = assignment.signedInAt && taskInReach(request.day, shanghaiToday());
  if (!open) return <Typography.Text type="secondary">{t('volunteers.field.whileSignedIn')}</Typography.Text>;
  return (
    <Space wrap data-testid={`task-tools-${assignment.id}`}>
      {request.visitCampaignId ? (
        <Button type="primary" onClick={() => onGo('householdVisit')}>
          {t('volunteers.field.toVisit')}
        </Button>
      ) : null}
      {request.checkpointId ? (
        <Button type="primary" onClick={() => onGo('checkpoint')}>
          {t('volunteers.field.toCheckpoint')}
        </Button>
      ) : null}
      <Button onClick={() => onGo('report')}>{t('volunteers.field.toReport')}</Button>
    </Space>
  );
}

function MyTasks({ onGo }: { onGo: (tab: FieldTab) => void }) {
  const { t } = useTranslation();
  const labels = useVolunteerLabels();
  const tasks = useMyTasks(true);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="volunteer-tab">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('volunteers.field.mine')}
      </Typography.Title>
      {!tasks.data?.length && !tasks.isPending ? <Empty description={t('volunteers.field.noTasks')} /> : null}
      {(tasks.data ?? []).map(({ request, assignment }) => (
        <Card key={assignment.id} size="small">
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            <Space wrap size={4}>
              <Tag color="blue">{labels.requestKind(request.kind)}</Tag>
              <Typography.Text strong>{request.title}</Typography.Text>
            </Space>
            <Typography.Text type="secondary">
              {request.day} {request.startTime}–{request.endTime} · {request.regionName} · {request.place}
            </Typography.Text>
            <List
              dataSource={[assignment]}
              renderItem={(a) => <AssignmentRow assignment={a} title={a.unitName} />}
            />
            <TaskTools request={request} assignment={assignment} onGo={onGo} />
          </Space>
        </Card>
      ))}
    </Space>
  );
}
