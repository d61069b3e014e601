import { Button, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  DISPUTE_TYPE_LABELS,
  type FigureRow,
  MEDIATION_OPENER_ROLES,
  MEDIATION_SOURCE_LABELS,
  MEDIATION_STATE_LABELS,
  MEDIATION_STATES,
  type MediationSummary,
} from '../../../shared/mediation.ts';
import { useSession } from '../../api/session.ts';
import { useMediationFigures, useMediations } from './api.ts';
import { MediationDrawer } from './MediationDrawer.tsx';
import { OpenMediationModal } from './OpenMediationModal.tsx';
import { label, shortDay } from './text.ts';

const TABS = ['list', 'figures'] as const;
const TASKS = ['overdue', 'followUp', 'confirmation'] as const;

/** `/mediation` 矛盾纠纷调解: the register with its to-do filters, and the figures opening onto the records. */
export default function MediationPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? params.get('tab') : 'list';
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('mediation.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab ?? 'list'}
        onChange={(key) => update({ tab: key })}
        items={[
          {
            key: 'list',
            label: t('mediation.tabs.list'),
            children: <Register params={params} update={update} />,
          },
          { key: 'figures', label: t('mediation.tabs.figures'), children: <Figures update={update} /> },
        ]}
      />
    </Space>
  );
}

type Update = (changes: Record<string, string | null>) => void;

function Register({ params, update }: { params: URLSearchParams; update: Update }) {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const [opening, setOpening] = useState(false);
  const query = {
    state: (params.get('state') || undefined) as MediationSummary['state'] | undefined,
    task: (params.get('task') || undefined) as (typeof TASKS)[number] | undefined,
    regionCode: params.get('region') || undefined,
    mediatorId: params.get('mediator') ? Number(params.get('mediator')) : undefined,
    month: params.get('month') || undefined,
    offset: Number(params.get('offset') ?? 0),
    limit: 20,
  };
  const list = useMediations(query);
  const selected = params.get('id') ? Number(params.get('id')) : null;
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          style={{ width: 140 }}
          value={query.state ?? ''}
          onChange={(value) => update({ state: value || null, offset: null })}
          options={[
            { value: '', label: `${t('mediation.filters.state')}：${t('mediation.filters.all')}` },
            ...MEDIATION_STATES.map((s) => ({
              value: s,
              label: label(MEDIATION_STATE_LABELS[s], i18n.language),
            })),
          ]}
        />
        <Select
          style={{ width: 170 }}
          value={query.task ?? ''}
          onChange={(value) => update({ task: value || null, offset: null })}
          options={[
            { value: '', label: `${t('mediation.filters.task')}：${t('mediation.filters.all')}` },
            ...TASKS.map((task) => ({ value: task, label: t(`mediation.filters.${task}`) })),
          ]}
        />
        {query.regionCode || query.mediatorId || query.month ? (
          <Button onClick={() => update({ region: null, mediator: null, month: null })}>
            {[query.regionCode, query.month].filter(Boolean).join(' ')} ✕
          </Button>
        ) : null}
        {role && MEDIATION_OPENER_ROLES.includes(role) ? (
          <Button type="primary" onClick={() => setOpening(true)} data-testid="open-mediation">
            {t('mediation.open')}
          </Button>
        ) : null}
      </Space>
      <Table<MediationSummary>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        onRow={(row) => ({ onClick: () => update({ id: String(row.id) }), style: { cursor: 'pointer' } })}
        pagination={{
          current: query.offset / 20 + 1,
          pageSize: 20,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (page) => update({ offset: String((page - 1) * 20) }),
        }}
        columns={[
          {
            title: t('mediation.columns.number'),
            dataIndex: 'number',
            render: (number: string, row) => (
              <Space size={4} wrap>
                <Button type="link" size="small" style={{ padding: 0 }}>
                  {number}
                </Button>
                {row.synthetic ? <Tag>{t('mediation.syntheticNote')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('mediation.columns.region'), dataIndex: 'regionName' },
          {
            title: t('mediation.columns.type'),
            dataIndex: 'disputeType',
            render: (type: MediationSummary['disputeType']) =>
              label(DISPUTE_TYPE_LABELS[type], i18n.language),
          },
          {
            title: t('mediation.columns.source'),
            dataIndex: 'source',
            render: (source: MediationSummary['source']) =>
              label(MEDIATION_SOURCE_LABELS[source], i18n.language),
          },
          {
            title: t('mediation.columns.state'),
            dataIndex: 'state',
            render: (state: MediationSummary['state'], row) => (
              <Space size={4} wrap>
                <span>{label(MEDIATION_STATE_LABELS[state], i18n.language)}</span>
                {row.light === 'red' ? <Tag color="red">{t('mediation.light.red')}</Tag> : null}
                {row.light === 'red' && row.escalated ? (
                  <Tag color="volcano">{t('mediation.light.escalated')}</Tag>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('mediation.columns.mediator'),
            dataIndex: 'mediatorName',
            render: (name) => name ?? '—',
          },
          { title: t('mediation.columns.accepted'), dataIndex: 'acceptedAt', render: shortDay },
          { title: t('mediation.columns.due'), dataIndex: 'dueAt', render: shortDay },
          { title: t('mediation.columns.caseNumber'), dataIndex: 'caseNumber', render: (n) => n ?? '—' },
        ]}
      />
      <MediationDrawer id={selected} onClose={() => update({ id: null })} />
      {opening ? (
        <OpenMediationModal
          onClose={(id) => {
            setOpening(false);
            if (id) update({ id: String(id) });
          }}
        />
      ) : null}
    </Space>
  );
}

const rate = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)}%`);

function Figures({ update }: { update: Update }) {
  const { t } = useTranslation();
  const figures = useMediationFigures();
  const data = figures.data;
  const table = (rows: FigureRow[], drill: (row: FigureRow) => Record<string, string>) => (
    <Table<FigureRow>
      size="small"
      rowKey="key"
      pagination={false}
      scroll={{ x: 760 }}
      dataSource={data ? [...rows, data.total] : []}
      columns={[
        { title: t('mediation.figures.unit'), dataIndex: 'label' },
        {
          title: t('mediation.figures.handled'),
          dataIndex: 'handled',
          render: (n: number, row) =>
            row.key === 'total' ? (
              n
            ) : (
              <Button
                type="link"
                size="small"
                style={{ padding: 0 }}
                onClick={() => update({ tab: 'list', ...drill(row) })}
              >
                {n}
              </Button>
            ),
        },
        {
          title: t('mediation.figures.settled'),
          dataIndex: 'settled',
          render: (n: number, row) =>
            row.key === 'total' ? (
              n
            ) : (
              <Button
                type="link"
                size="small"
                style={{ padding: 0 }}
                onClick={() => update({ tab: 'list', state: 'settled', ...drill(row) })}
              >
                {n}
              </Button>
            ),
        },
        { title: t('mediation.figures.settlementRate'), dataIndex: 'settlementRate', render: rate },
        { title: t('mediation.figures.onTimeRate'), dataIndex: 'onTimeRate', render: rate },
        { title: t('mediation.figures.followUpRate'), dataIndex: 'followUpRate', render: rate },
        { title: t('mediation.figures.performanceRate'), dataIndex: 'performanceRate', render: rate },
      ]}
    />
  );
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      {data ? (
        <Typography.Text type="secondary">
          {t('mediation.figures.period', {
            from: data.from,
            to: data.to,
            open: data.open,
            overdue: data.overdue,
          })}
          {' · '}
          {t('mediation.figures.formula')}
        </Typography.Text>
      ) : null}
      <Tabs
        items={[
          {
            key: 'village',
            label: t('mediation.figures.byVillage'),
            children: table(data?.byVillage ?? [], (row) => ({ region: row.key })),
          },
          {
            key: 'mediator',
            label: t('mediation.figures.byMediator'),
            children: table(data?.byMediator ?? [], (row) => ({ mediator: row.key })),
          },
          {
            key: 'month',
            label: t('mediation.figures.byMonth'),
            children: table(data?.byMonth ?? [], (row) => ({ month: row.key })),
          },
        ]}
      />
    </Space>
  );
}
