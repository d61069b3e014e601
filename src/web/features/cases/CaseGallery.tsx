import { Col, Image, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../shared/cases.ts';
import { formatDateTime } from '../../components/time.ts';
import { evidenceUrl } from './api.ts';
import { beforeAndAfter, type CasePhoto } from './casePhotos.ts';
import { useCaseLabels } from './labels.tsx';

/**
 * The case's photos first and large: the problem as reported beside the latest result of the handling, each
 * side's other photos as thumbnails under it. One preview group, so a click enlarges any of them and the
 * arrows walk through all.
 */
export function CaseGallery({ detail, height = 220 }: { detail: CaseDetail; height?: number }) {
  const { t } = useTranslation();
  const { before, after } = beforeAndAfter(detail.events);
  if (before.length + after.length === 0) {
    return (
      <div className="gg-gallery-empty" data-testid="case-gallery">
        <Typography.Text type="secondary">{t('caseView.gallery.none')}</Typography.Text>
      </div>
    );
  }
  return (
    <Image.PreviewGroup>
      <Row gutter={12} data-testid="case-gallery">
        <Col span={12}>
          <GallerySide
            testId="gallery-before"
            title={t('caseView.gallery.before')}
            empty={t('caseView.gallery.noBefore')}
            photos={before}
            caseId={detail.id}
            height={height}
          />
        </Col>
        <Col span={12}>
          <GallerySide
            testId="gallery-after"
            title={t('caseView.gallery.after')}
            empty={t('caseView.gallery.noAfter')}
            photos={after}
            caseId={detail.id}
            height={height}
          />
        </Col>
      </Row>
    </Image.PreviewGroup>
  );
}

function GallerySide({
  testId,
  title,
  empty,
  photos,
  caseId,
  height,
}: {
  testId: string;
  title: string;
  empty: string;
  photos: CasePhoto[];
  caseId: number;
  height: number;
}) {
  const labels = useCaseLabels();
  const [first, ...rest] = photos;
  return (
    <Space orientation="vertical" size={6} style={{ width: '100%' }} data-testid={testId}>
      <Typography.Text strong>{title}</Typography.Text>
      {first ? (
        <>
          <Image
            src={evidenceUrl(first.id, { caseId })}
            width="100%"
            height={height}
            rootClassName="gg-gallery-main"
            style={{ objectFit: 'cover' }}
            data-testid="gallery-photo"
          />
          <Typography.Text type="secondary" className="gg-gallery-caption">
            {labels.action(first.action)} · {formatDateTime(first.at)} · {first.actorName}
          </Typography.Text>
          {rest.length ? (
            <Space wrap size={6}>
              {rest.map((photo) => (
                <Image
                  key={photo.id}
                  src={evidenceUrl(photo.id, { caseId, thumbnail: true })}
                  preview={{ src: evidenceUrl(photo.id, { caseId }) }}
                  width={64}
                  height={48}
                  style={{ objectFit: 'cover' }}
                  data-testid="gallery-photo"
                />
              ))}
            </Space>
          ) : null}
        </>
      ) : (
        <div className="gg-gallery-empty" style={{ height }}>
          <Typography.Text type="secondary">{empty}</Typography.Text>
        </div>
      )}
    </Space>
  );
}
