import { ArrowRightOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api/client.ts';
import { useLocale } from '../../i18n/index.ts';
import type { GridProperties } from './api.ts';
import { useRegion } from './api.ts';
import { levelText } from './format.ts';
import { PeopleList } from './PeopleList.tsx';

/** The side panel of a grid clicked on the map or found by locating a point. */
export function GridPanel({
  code,
  feature,
  onClose,
}: {
  code: string;
  feature?: GridProperties;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const detail = useRegion(code);
  const region = detail.data;
  const name = region?.name ?? feature?.name ?? code;
  const village =
    feature?.villageName ?? region?.ancestors.find((ancestor) => ancestor.level === 'village')?.name ?? null;
  const level = region ?? feature;

  return (
    <Card
      size="small"
      className="gg-map-panel"
      data-testid="grid-panel"
      title={t('territory.panel.title')}
      extra={
        <Button
          type="text"
          size="small"
          icon={<CloseOutlined />}
          aria-label={t('common.close')}
          onClick={onClose}
        />
      }
      actions={[
        <Link key="open" to={`/territory/regions/${code}`}>
          {t('territory.panel.openGridPage')} <ArrowRightOutlined />
        </Link>,
      ]}
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'name', label: t('territory.panel.gridName'), children: name },
          { key: 'code', label: t('territory.panel.code'), children: code },
          { key: 'village', label: t('territory.panel.village'), children: village ?? t('common.none') },
          {
            key: 'level',
            label: t('territory.panel.level'),
            children: level ? levelText(level, locale, t) : null,
          },
        ]}
      />
      <div style={{ marginTop: 8 }}>
        <div style={{ fontWeight: 600, marginBottom: 6 }}>{t('territory.panel.people')}</div>
        {detail.isPending ? (
          <Skeleton active paragraph={{ rows: 2 }} title={false} />
        ) : detail.isError ? (
          <Alert type="error" showIcon title={errorText(detail.error)} />
        ) : (
          <PeopleList people={region?.people ?? []} />
        )}
      </div>
    </Card>
  );
}
