import { FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Image, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CaseState } from '../../../shared/case-workflow.ts';
import {
  ITEM_OUTCOME_LABELS,
  type ItemOutcome,
  ROUND_KIND_LABELS,
  SITE_TYPE_LABELS,
} from '../../../shared/inspections.ts';
import type { Reinspection, VisitDetail } from '../../../shared/visits.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import { opinionUrl, useCampaign, useVisit, visitEvidenceUrl } from './api.ts';
import { ItemBadges } from './ChecklistPage.tsx';
import { RateTag, useEnumLabel, VetoedRate } from './labels.tsx';
import { ReinspectButton } from './Reinspection.tsx';

type Answer = VisitDetail['answers'][number];

/** A rectification case the department reported done: the state a re-inspection verifies. */
const AWAITING_VERIFICATION: CaseState = 'handled';

const OUTCOME_COLOURS: Record<ItemOutcome, string> = { pass: 'green', fail: 'red', na: 'default' };

/** One visit (检查记录): the answers per section with photos, the score, the rectifications and re-inspections. */
export default function VisitPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const visit = useVisit(id);
  // Whether the reader is an inspector of the campaign: only they re-inspect.
  const campaign = useCampaign(visit.data?.campaignId ?? 0);
  const label = useEnumLabel();
  if (visit.isPending) return <PageSpinner />;
  if (visit.isError) return <ErrorResult error={visit.error} onRetry={() => void visit.refetch()} />;
  const v = visit.data;
  const vetoItem = v.vetoedBy ? v.answers.find((a) => a.itemKey === v.vetoedBy) : undefined;
  const sections = [...new Set(v.answers.map((a) => a.section))];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={`${v.targetName} · ${t('inspections.visit.title')}`}
        extra={
          <Space wrap>
            <Button icon={<FilePdfOutlined />} href={opinionUrl(v.id, 'pdf')} data-testid="opinion-pdf">
              {t('inspections.visit.opinionPdf')}
            </Button>
            <Button icon={<FileWordOutlined />} href={opinionUrl(v.id, 'docx')}>
              {t('inspections.visit.opinionDocx')}
            </Button>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
          <Descriptions.Item label={t('inspections.visit.score')}>
            <span data-testid="visit-score">
              {v.vetoedBy ? (
                <VetoedRate
                  rawRate={v.rawRate}
                  item={vetoItem ? { key: vetoItem.itemKey, question: vetoItem.question } : null}
                />
              ) : (
                <RateTag rate={v.rate} />
              )}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.visit.points')}>
            {t('inspections.visit.earnedOf', { earned: v.earned, applicable: v.applicable })}
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.visit.noticeNumber')}>{v.noticeNumber}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.fields.campaign')}>
            <Link to={`/inspections/campaigns/${v.campaignId}?tab=results`}>{v.campaignName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.fields.round')}>
            {t('inspections.roundN', { number: v.roundNumber })} · {label(ROUND_KIND_LABELS, v.roundKind)}
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.fields.siteType')}>
            {label(SITE_TYPE_LABELS, v.siteType)}
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.fields.address')}>
            {v.targetAddress ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.fields.visitedAt')}>
            {formatDateTime(v.visitedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.fields.inspector')}>{v.inspectorName}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.visit.personInCharge')}>
            {v.personInCharge ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.visit.signature')}>
            {v.signature ? (
              <Image
                height={48}
                alt={t('inspections.visit.signature')}
                src={visitEvidenceUrl(v.signature, v.id)}
                fallback=""
              />
            ) : (
              '—'
            )}
          </Descriptions.Item>
          {v.note ? (
            <Descriptions.Item label={t('inspections.visit.note')} span={3}>
              {v.note}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {sections.map((section) => (
        <Card key={section} size="small" title={section}>
          <AnswersTable
            visit={v}
            answers={v.answers.filter((a) => a.section === section)}
            mayReinspect={campaign.data?.rights.visit === true}
          />
        </Card>
      ))}
      <Card size="small" title={t('inspections.visit.reinspections')}>
        <Reinspections visit={v} />
      </Card>
    </Space>
  );
}

function Photos({ ids, visitId }: { ids: string[]; visitId: number }) {
  const { t } = useTranslation();
  if (!ids.length) return null;
  return (
    <Image.PreviewGroup>
      <Space size={4} wrap>
        {ids.map((id) => (
          <Image
            key={id}
            width={56}
            height={56}
            style={{ objectFit: 'cover' }}
            alt={t('inspections.visit.photo')}
            src={visitEvidenceUrl(id, visitId, true)}
            preview={{ src: visitEvidenceUrl(id, visitId) }}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

function AnswersTable({
  visit,
  answers,
  mayReinspect,
}: {
  visit: VisitDetail;
  answers: Answer[];
  mayReinspect: boolean;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const caseLabels = useCaseLabels();
  return (
    <Table<Answer>
      rowKey="itemKey"
      size="small"
      pagination={false}
      dataSource={answers}
      scroll={{ x: 1000 }}
      columns={[
        { key: 'key', title: t('inspections.fields.itemKey'), dataIndex: 'itemKey', width: 64 },
        {
          key: 'question',
          title: t('inspections.fields.question'),
          render: (_: unknown, a) => (
            <span>
              {a.question} <ItemBadges veto={a.veto} immediate={a.immediate} />
            </span>
          ),
        },
        {
          key: 'outcome',
          title: t('inspections.visit.outcome'),
          width: 110,
          render: (_: unknown, a) => (
            <Tag color={OUTCOME_COLOURS[a.outcome]}>
              {a.value === null
                ? label(ITEM_OUTCOME_LABELS, a.outcome)
                : t('inspections.withNote', { text: label(ITEM_OUTCOME_LABELS, a.outcome), note: a.value })}
            </Tag>
          ),
        },
        {
          key: 'points',
          title: t('inspections.visit.points'),
          width: 90,
          align: 'right',
          render: (_: unknown, a) => (a.outcome === 'na' ? '—' : `${a.earned} / ${a.applicable}`),
        },
        {
          key: 'note',
          title: t('inspections.visit.note'),
          width: 200,
          render: (_: unknown, a) => a.note || '—',
        },
        {
          key: 'photos',
          title: t('inspections.visit.photos'),
          width: 200,
          render: (_: unknown, a) => <Photos ids={a.evidence} visitId={visit.id} />,
        },
        {
          key: 'case',
          title: t('inspections.visit.rectification'),
          width: 240,
          render: (_: unknown, a) =>
            a.case ? (
              <Space orientation="vertical" size={0}>
                <Link to={`/cases/${a.case.id}`}>{a.case.caseNumber}</Link>
                <span>
                  {caseLabels.state(a.case.state)}
                  {a.case.reworkCount
                    ? ` · ${t('inspections.visit.rework', { count: a.case.reworkCount })}`
                    : ''}
                </span>
                {a.case.dueAt ? (
                  <span>{t('inspections.visit.dueAt', { at: formatDateTime(a.case.dueAt) })}</span>
                ) : null}
                {mayReinspect && a.case.state === AWAITING_VERIFICATION ? (
                  <ReinspectButton visit={visit} answer={a} />
                ) : null}
              </Space>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

function Reinspections({ visit }: { visit: VisitDetail }) {
  const { t } = useTranslation();
  const questions = new Map(visit.answers.map((a) => [a.itemKey, a]));
  if (!visit.reinspections.length) return <Empty description={t('inspections.visit.noReinspections')} />;
  return (
    <Table<Reinspection>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={visit.reinspections}
      scroll={{ x: 800 }}
      columns={[
        { key: 'at', title: t('inspections.visit.at'), render: (_: unknown, r) => formatDateTime(r.at) },
        {
          key: 'item',
          title: t('inspections.fields.question'),
          render: (_: unknown, r) => `${r.itemKey} ${questions.get(r.itemKey)?.question ?? ''}`,
        },
        {
          key: 'outcome',
          title: t('inspections.visit.outcome'),
          render: (_: unknown, r) => (
            <Tag color={r.outcome === 'pass' ? 'green' : 'red'}>
              {r.outcome === 'pass'
                ? t('inspections.visit.reinspectPass')
                : t('inspections.visit.reinspectFail')}
            </Tag>
          ),
        },
        { key: 'inspector', title: t('inspections.fields.inspector'), dataIndex: 'inspectorName' },
        { key: 'note', title: t('inspections.visit.note'), render: (_: unknown, r) => r.note || '—' },
        {
          key: 'photos',
          title: t('inspections.visit.photos'),
          render: (_: unknown, r) => <Photos ids={r.evidence} visitId={visit.id} />,
        },
      ]}
    />
  );
}
