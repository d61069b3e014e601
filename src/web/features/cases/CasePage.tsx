import { ArrowLeftOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Image,
  Rate,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  CASE_ACTION_NAMES,
  CASE_SOURCE_LABELS,
  type CaseActionName,
  type CaseDetail,
  type CaseMediation,
  type Evidence,
  photoIdsOf,
} from '../../../shared/cases.ts';
import { MEDIATION_READER_ROLES } from '../../../shared/mediation.ts';
import { distanceMeters } from '../../../shared/territory.ts';
import { useSession } from '../../api/session.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { ActionModal } from './ActionModal.tsx';
import { evidenceUrl, useCase } from './api.ts';
import { CaseGallery } from './CaseGallery.tsx';
import { CaseMap } from './CaseMap.tsx';
import { HideFromPublic } from './HideFromPublic.tsx';
import { attributeText, StepDue, useCaseLabels } from './labels.tsx';
import { ReporterContact } from './ReporterContact.tsx';

/** Actions that move the case forward get the primary button; the others stay plain. */
const FORWARD_ACTIONS: readonly CaseActionName[] = [
  'register',
  'dispatch',
  'accept',
  'finish',
  'verifyPass',
  'approveExtension',
  'resume',
  'handleOnTheSpot',
  'rate',
];

const isActionName = (action: string): action is CaseActionName =>
  (CASE_ACTION_NAMES as readonly string[]).includes(action);

export default function CasePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const labels = useCaseLabels();
  const id = Number(useParams().id);
  const query = useCase(id);
  const [action, setAction] = useState<CaseActionName | null>(null);

  if (query.isPending) return <PageSpinner />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const detail = query.data;
  const lead = detail.departments.filter((d) => d.role === 'lead');
  const assist = detail.departments.filter((d) => d.role === 'assist');
  const actions = detail.allowedActions.filter(isActionName);
  const photos = new Map(detail.photos.map((photo) => [photo.id, photo]));
  const origin = detail.lon !== null && detail.lat !== null ? { lon: detail.lon, lat: detail.lat } : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        className="gg-case-card"
        title={
          <Space wrap>
            <Link to="/cases" aria-label={t('cases.back')}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="case-number">{detail.caseNumber}</span>
            <Tag color="blue" data-testid="case-state">
              {labels.state(detail.state)}
            </Tag>
            {detail.supervised ? <Tag color="volcano">{t('cases.supervised')}</Tag> : null}
            {detail.returnCount > 0 ? (
              <Tag color="orange" data-testid="case-return-count">
                {t('cases.returned', { count: detail.returnCount })}
              </Tag>
            ) : null}
            {detail.reworkCount > 0 ? (
              <Tag color="orange" data-testid="case-rework-count">
                {t('common.labelValue', { label: labels.action('verifyFail'), value: detail.reworkCount })}
              </Tag>
            ) : null}
          </Space>
        }
        extra={
          <Space wrap>
            <Button
              icon={<PrinterOutlined />}
              href={`/api/v1/cases/${detail.id}/sheet`}
              target="_blank"
              data-testid="case-sheet"
            >
              {t('cases.sheet')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching}>
              {t('cases.reload')}
            </Button>
          </Space>
        }
      >
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <CaseGallery detail={detail} />
          </Col>
          <Col xs={24} xl={10}>
            <CaseMap regionCode={detail.regionCode} lon={detail.lon} lat={detail.lat} />
          </Col>
        </Row>
        <Descriptions
          style={{ marginTop: 16 }}
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            { key: 'category', label: t('cases.fields.category'), children: detail.categoryName },
            {
              key: 'due',
              label: t('cases.fields.stepDueAt'),
              children: (
                <Space>
                  {detail.step ? <span>{t(`cases.steps.${detail.step}`)}</span> : null}
                  <StepDue summary={detail} />
                </Space>
              ),
            },
            {
              key: 'grid',
              label: t('cases.fields.grid'),
              children: detail.regionName,
            },
            { key: 'address', label: t('cases.fields.address'), children: detail.address || '—' },
            {
              key: 'source',
              label: t('cases.fields.source'),
              children: (
                <Space size={4} wrap>
                  <span>{pickLabel(CASE_SOURCE_LABELS[detail.source], locale)}</span>
                  {detail.externalRef ? (
                    <Tag data-testid="case-external-ref">
                      {t('hotline.orderNo', { ref: detail.externalRef })}
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              key: 'reporter',
              label: t('cases.fields.reporter'),
              children: <ReporterContact detail={detail} />,
            },
            {
              key: 'createdAt',
              label: t('cases.fields.createdAt'),
              children: formatDateTime(detail.createdAt),
            },
            {
              key: 'lead',
              label: t('cases.fields.leadDepartment'),
              children: lead.map((d) => d.name).join('、') || '—',
            },
            {
              key: 'assist',
              label: t('cases.fields.assistDepartments'),
              children: assist.map((d) => d.name).join('、') || '—',
            },
            ...(detail.satisfaction !== null
              ? [
                  {
                    key: 'satisfaction',
                    label: t('cases.fields.satisfaction'),
                    children: <Rate disabled value={detail.satisfaction} />,
                  },
                ]
              : []),
            {
              key: 'description',
              label: t('cases.fields.description'),
              span: 'filled' as const,
              children: (
                <>
                  <Typography.Paragraph style={{ margin: 0 }}>{detail.description}</Typography.Paragraph>
                  <HideFromPublic detail={detail} target="description" />
                </>
              ),
            },
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
        <CaseCodes detail={detail} />
        {detail.mediation ? <MediationNotice mediation={detail.mediation} /> : null}
        <div style={{ marginTop: 16 }} data-testid="case-actions">
          {actions.length === 0 ? (
            <Typography.Text type="secondary">{t('cases.noActions')}</Typography.Text>
          ) : (
            <Space wrap>
              {actions.map((name) => (
                <Button
                  key={name}
                  type={FORWARD_ACTIONS.includes(name) ? 'primary' : 'default'}
                  danger={name === 'reject' || name === 'return' || name === 'verifyFail'}
                  onClick={() => setAction(name)}
                >
                  {labels.action(name)}
                </Button>
              ))}
            </Space>
          )}
        </div>
      </Card>
      <Card title={t('cases.fields.timeline')}>
        {detail.events.length === 0 ? (
          <Empty />
        ) : (
          <Timeline
            items={detail.events.map((event) => ({
              key: event.id,
              content: (
                <div>
                  <Space wrap>
                    <Typography.Text strong>{labels.action(event.action)}</Typography.Text>
                    <Typography.Text type="secondary">{formatDateTime(event.at)}</Typography.Text>
                    <span>
                      {t('common.labelValue', { label: t('cases.fields.actor'), value: event.actorName })}
                    </span>
                    <Tag>{labels.state(event.toState)}</Tag>
                  </Space>
                  {event.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{event.note}</div> : null}
                  <EventPhotos data={event.data} photos={photos} origin={origin} detail={detail} />
                </div>
              ),
            }))}
          />
        )}
      </Card>
      {action && actions.includes(action) ? (
        <ActionModal key={action} detail={detail} action={action} onClose={() => setAction(null)} />
      ) : null}
    </Space>
  );
}

/**
 * While a mediation holds the case, its handling is done there (the server offers only 吹哨 and 督办 here): say so,
 * and lead the roles that read mediations to it.
 */
function MediationNotice({ mediation }: { mediation: CaseMediation }) {
  const { t } = useTranslation();
  const role = useSession().data?.user.role;
  return (
    <Alert
      style={{ marginTop: 16 }}
      type="info"
      showIcon
      data-testid="case-mediation"
      title={t('cases.inMediation', { number: mediation.number })}
      action={
        role && MEDIATION_READER_ROLES.includes(role) ? (
          <Link to={`/mediation?id=${mediation.id}`}>{t('cases.toMediation')}</Link>
        ) : null
      }
    />
  );
}

/**
 * The codes and internal ids behind the names on screen, for the staff who match a case against another
 * system or a standard's code list: closed until asked for, so the page reads in names.
 */
function CaseCodes({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <Collapse
      ghost
      size="small"
      style={{ marginTop: 8 }}
      data-testid="case-details"
      items={[
        {
          key: 'codes',
          label: t('caseView.details.toggle'),
          children: (
            <Descriptions
              column={{ xs: 1, md: 2 }}
              size="small"
              items={[
                {
                  key: 'categoryCode',
                  label: t('caseView.details.categoryCode'),
                  children: detail.categoryCode,
                },
                { key: 'gridCode', label: t('caseView.details.gridCode'), children: detail.regionCode },
                {
                  key: 'coordinates',
                  label: t('caseView.details.coordinates'),
                  children:
                    detail.lon !== null && detail.lat !== null
                      ? `${detail.lon.toFixed(6)}, ${detail.lat.toFixed(6)}`
                      : '—',
                },
                { key: 'caseId', label: t('caseView.details.caseId'), children: detail.id },
                { key: 'version', label: t('caseView.details.version'), children: detail.version },
              ]}
            />
          ),
        },
      ]}
    />
  );
}

/**
 * The photos an action carried (result, verification, before/after), so a verifier sees what was done:
 * thumbnails that open the original, each captioned with when it was taken and how far from the reported
 * place, as its EXIF records — a photo taken elsewhere or days earlier stands out.
 */
function EventPhotos({
  data,
  photos,
  origin,
  detail,
}: {
  data: Record<string, unknown>;
  photos: ReadonlyMap<string, Evidence>;
  origin: { lon: number; lat: number } | null;
  detail: CaseDetail;
}) {
  const { t } = useTranslation();
  const ids = photoIdsOf(data);
  if (ids.length === 0) return null;
  const caption = (photo: Evidence | undefined) => {
    if (!photo || (photo.takenAt === null && photo.lon === null)) return t('cases.photos.noExif');
    const parts: string[] = [];
    if (photo.takenAt) parts.push(t('cases.photos.takenAt', { time: formatDateTime(photo.takenAt) }));
    if (origin && photo.lon !== null && photo.lat !== null) {
      const meters = Math.round(distanceMeters(origin.lon, origin.lat, photo.lon, photo.lat));
      parts.push(t('cases.photos.distance', { meters }));
    }
    return parts.join(' · ');
  };
  return (
    <Image.PreviewGroup>
      <Space wrap style={{ marginTop: 4 }} data-testid="event-photos">
        {ids.map((id) => (
          <Space key={id} orientation="vertical" size={0} style={{ maxWidth: 160 }}>
            <Image
              src={evidenceUrl(id, { caseId: detail.id, thumbnail: true })}
              preview={{ src: evidenceUrl(id, { caseId: detail.id }) }}
              width={96}
              height={72}
              style={{ objectFit: 'cover' }}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="photo-caption">
              {caption(photos.get(id))}
            </Typography.Text>
            <HideFromPublic detail={detail} target={id} />
          </Space>
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}
