import { Alert, Card, Segmented, Spin } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { GridKind, LocateResult } from '../../../shared/territory.ts';
import { errorText } from '../../api/client.ts';
import { useConfig, useSession } from '../../api/session.ts';
import { useGridGeoJson, useRegion } from './api.ts';
import { GridMap } from './GridMap.tsx';
import { GridPanel } from './GridPanel.tsx';
import { LayerGridPanel } from './LayerGridPanel.tsx';
import { LocateBox } from './LocateBox.tsx';
import { RegionTree } from './RegionTree.tsx';

/** 地图与网格: the region tree, the grid map of the chosen region and the grid's responsible people. */
export default function TerritoryPage() {
  const { t } = useTranslation();
  const session = useSession().data;
  const config = useConfig().data;
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('region') ?? session?.scope.code ?? null;
  const gridCode = params.get('grid');
  // The map shows one layer at a time: the comprehensive grids (综合网格) or the party grids (党建网格).
  const layer: GridKind = params.get('layer') === 'party' ? 'party' : 'comprehensive';
  const [point, setPoint] = useState<[number, number] | null>(null);

  const region = useRegion(regionCode);
  const grids = useGridGeoJson(regionCode, layer);
  const features = useMemo(
    () =>
      new Map((grids.data?.features ?? []).map((feature) => [feature.properties.code, feature.properties])),
    [grids.data],
  );

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  const onLocated = (located: [number, number] | null, result: LocateResult | null) => {
    setPoint(located);
    const inLayer =
      result?.found && layer !== 'comprehensive' ? result.layers.find((l) => l.kind === layer) : null;
    if (result?.found) update({ grid: inLayer ? inLayer.grid.code : result.grid.code });
  };

  const synthetic = Boolean(config?.demo || region.data?.synthetic);
  const count = grids.data?.features.length ?? 0;

  return (
    <div className="gg-territory">
      <div className="gg-territory-side">
        <Card size="small" title={t('territory.regionTree')} style={{ flex: 1 }}>
          <RegionTree
            selected={regionCode}
            onSelect={(selected) => update({ region: selected.code, grid: null })}
          />
        </Card>
        <Card size="small" title={t('territory.locate.title')}>
          <LocateBox onLocated={onLocated} />
        </Card>
      </div>
      <div className="gg-territory-main">
        {synthetic ? (
          <Alert type="warning" showIcon title={t('territory.syntheticNote')} data-testid="synthetic-note" />
        ) : null}
        <Segmented
          value={layer}
          onChange={(value) => update({ layer: value === 'party' ? 'party' : null, grid: null })}
          options={[
            { value: 'comprehensive', label: t('party.layer.comprehensive') },
            { value: 'party', label: t('party.layer.party') },
          ]}
          aria-label={t('party.layer.label')}
          data-testid="layer-switch"
        />
        {grids.isError ? <Alert type="error" showIcon title={errorText(grids.error)} /> : null}
        <div className="gg-map-wrap">
          {config ? (
            <GridMap
              data={grids.data}
              selectedCode={gridCode}
              onSelect={(code) => update({ grid: code })}
              point={point}
            />
          ) : null}
          {gridCode && layer !== 'comprehensive' ? (
            <LayerGridPanel
              key={gridCode}
              code={gridCode}
              feature={features.get(gridCode)}
              onClose={() => update({ grid: null })}
            />
          ) : null}
          {gridCode && layer === 'comprehensive' ? (
            <GridPanel
              key={gridCode}
              code={gridCode}
              feature={features.get(gridCode)}
              onClose={() => update({ grid: null })}
            />
          ) : null}
          <div className="gg-map-status">
            {grids.isFetching ? <Spin size="small" /> : null} {region.data ? `${region.data.name} · ` : ''}
            {grids.data && count === 0 ? t('territory.noGrids') : t('territory.gridCount', { count })}
          </div>
        </div>
      </div>
    </div>
  );
}
