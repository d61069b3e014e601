import { CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import { useLayerGrid } from '../party/api.ts';
import type { GridProperties } from './api.ts';
import { PeopleList } from './PeopleList.tsx';

/** The side panel of a party (or special) grid clicked on the map: its layer's ancestors and its people. */
export function LayerGridPanel({
  code,
  feature,
  onClose,
}: {
  code: string;
  feature?: GridProperties;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const detail = useLayerGrid(code);
  const grid = detail.data;
  return (
    <Card
      size="small"
      className="gg-map-panel"
      data-testid="layer-grid-panel"
      title={t('party.layer.panelTitle')}
      extra={
        <Button
          type="text"
          size="small"
          icon={<CloseOutlined />}
          aria-label={t('common.close')}
          onClick={onClose}
        />
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'name',
            label: t('territory.panel.gridName'),
            children: grid?.name ?? feature?.name ?? code,
          },
          { key: 'code', label: t('territory.panel.code'), children: code },
          {
            key: 'village',
            label: t('territory.panel.village'),
            children: grid?.regionName ?? feature?.villageName ?? t('common.none'),
          },
          {
            key: 'level',
            label: t('territory.panel.level'),
            children: t('party.grids.level', { level: grid?.gridLevel ?? feature?.gridLevel ?? 3 }),
          },
          {
            key: 'ancestors',
            label: t('party.layer.ancestors'),
            children: grid ? grid.ancestors.map((a) => a.name).join(' / ') || t('common.none') : null,
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
          <PeopleList people={grid?.people ?? []} />
        )}
      </div>
    </Card>
  );
}
