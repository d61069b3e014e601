import { ArrowLeftOutlined, DesktopOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CASE_SOURCE_LABELS, type CaseDetail } from '../../../shared/cases.ts';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useCase } from '../cases/api.ts';
import { CaseGallery } from '../cases/CaseGallery.tsx';
import { attributeText, useCaseLabels } from '../cases/labels.tsx';
import type { FieldTab, FieldUser } from './FieldPage.tsx';
import { TaskCard, useQueuedCaseIds } from './TasksTab.tsx';
import { useSavedTask } from './tasks.ts';

/** The field view's page of a case; `tab` is the tab it was opened from, lit in the tab bar and gone back to. */
export const fieldCasePath = (caseId: number, tab: FieldTab) => `/field/cases/${caseId}?tab=${tab}`;

/** The actions the field view takes itself (queued offline like a report); any other is done in the console. */
const VERIFY_ACTIONS = ['verifyPass', 'verifyFail'];

/**
 * A case on the phone: what and where, the photos before and after, the steps so far, and what the worker can
 * do about it (verify, in the field view). Without a network it shows what the task lists kept of it.
 */
export function FieldCasePage({
  user,
  caseId,
  onBack,
  onVerify,
}: {
  user: FieldUser;
  caseId: number;
  onBack: () => void;
  onVerify: (caseId: number) => void;
}) {
  const { t } = useTranslation();
  const detail = useCase(caseId);
  const saved = useSavedTask(user.id, caseId, detail.isError);
  const queued = useQueuedCaseIds(user.id).has(caseId);
  const back = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={onBack} style={{ paddingInline: 0 }}>
      {t('caseView.field.back')}
    </Button>
  );

  if (detail.isPending) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {back}
        <Spin className="gg-field-spin" />
      </Space>
    );
  }
  if (!detail.data) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="field-case">
        {back}
        {saved.data ? (
          <>
            <Alert type="info" showIcon title={t('caseView.field.offline')} />
            <TaskCard task={saved.data.task} full />
          </>
        ) : (
          <Alert type="error" showIcon title={t('caseView.field.unavailable')} />
        )}
        <Button
          icon={<ReloadOutlined />}
          block
          onClick={() => void detail.refetch()}
          loading={detail.isFetching}
        >
          {t('caseView.field.retry')}
        </Button>
      </Space>
    );
  }

  const data = detail.data;
  const canVerify = data.allowedActions.some((action) => VERIFY_ACTIONS.includes(action));
  const elsewhere = data.allowedActions.some((action) => !VERIFY_ACTIONS.includes(action));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="field-case">
      {back}
      <TaskCard
        task={data}
        full
        extra={
          <Space orientation="vertical" style={{ width: '100%' }}>
            {canVerify && queued ? <Tag color="gold">{t('field.tasks.queued')}</Tag> : null}
            {canVerify && !queued ? (
              <Button type="primary" block onClick={() => onVerify(caseId)}>
                {t('caseView.field.verify')}
              </Button>
            ) : null}
            {elsewhere ? (
              <Link to={`/cases/${caseId}`}>
                <Button block icon={<DesktopOutlined />}>
                  {t('caseView.field.inConsole')}
                </Button>
              </Link>
            ) : null}
            {!canVerify && !elsewhere ? (
              <Typography.Text type="secondary">{t('caseView.field.noActions')}</Typography.Text>
            ) : null}
          </Space>
        }
      />
      <Card size="small" title={t('caseView.gallery.title')}>
        <CaseGallery detail={data} height={150} />
      </Card>
      <FieldCaseFacts detail={data} />
      <FieldCaseTimeline detail={data} />
    </Space>
  );
}

/** What the list card leaves out: how and when it was reported, who handles it, its extra fields. Names only. */
function FieldCaseFacts({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const lead = detail.departments.filter((d) => d.role === 'lead').map((d) => d.name);
  return (
    <Card size="small" title={t('caseView.field.facts')}>
      <Descriptions
        column={1}
        size="small"
        items={[
          {
            key: 'source',
            label: t('cases.fields.source'),
            children: pickLabel(CASE_SOURCE_LABELS[detail.source], locale),
          },
          {
            key: 'createdAt',
            label: t('cases.fields.createdAt'),
            children: formatDateTime(detail.createdAt),
          },
          { key: 'lead', label: t('cases.fields.leadDepartment'), children: lead.join('、') || '—' },
          ...detail.attributes.map((attribute) => ({
            key: `attribute-${attribute.code}`,
            label: attribute.description,
            children: (
              <span style={{ whiteSpace: 'pre-wrap' }} data-testid={`case-attribute-${attribute.code}`}>
                {attributeText(attribute)}
              </span>
            ),
          })),
        ]}
      />
    </Card>
  );
}

/** The steps so far, newest last as on the console's case page, each with who took it and their words. */
function FieldCaseTimeline({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  return (
    <Card size="small" title={t('caseView.field.timeline')}>
      <Timeline
        items={detail.events.map((event) => ({
          key: event.id,
          content: (
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>{labels.action(event.action)}</Typography.Text>
              <Typography.Text type="secondary">
                {formatDateTime(event.at)} · {event.actorName}
              </Typography.Text>
              {event.note ? (
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{event.note}</Typography.Text>
              ) : null}
            </Space>
          ),
        }))}
      />
    </Card>
  );
}
