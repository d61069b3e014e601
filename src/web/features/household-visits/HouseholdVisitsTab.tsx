import { ArrowLeftOutlined, HomeOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Empty, List, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Answers, FormDefinition } from '../../../shared/forms.ts';
import {
  type CampaignHousehold,
  VISIT_UNIT_NAME_LABELS,
  type VisitCampaign,
} from '../../../shared/household-visits.ts';
import { REGISTRATION_CONFIRMER_ROLES } from '../../../shared/registrations.ts';
import { useLocale } from '../../i18n/index.ts';
import type { FieldUser } from '../field/FieldPage.tsx';
import type { HouseholdVisitItem } from '../field/outbox.ts';
import { fieldOutbox, useOutboxItems } from '../field/useOutbox.ts';
import { useFormVersion } from '../forms/api.ts';
import { LazyFormRenderer } from '../forms/LazyFormRenderer.tsx';
import { useEnumLabel } from '../inspections/labels.tsx';
import { useRegistrationsToVisit } from '../registrations/api.ts';
import { RegistrationsToVisit } from '../registrations/RegistrationsToVisit.tsx';
import { GridMap } from '../territory/GridMap.tsx';
import { useHouseholds, useVisitCampaigns } from './api.ts';

/** What the phone keeps for an offline start: the last campaigns, households to visit and form, per user. */
interface Kept {
  campaigns: VisitCampaign[];
  households: Record<number, CampaignHousehold[]>;
  forms: Record<number, FormDefinition>;
}
const keyOf = (userId: number) => `gridgov.field.householdVisits.${userId}`;

function readKept(userId: number): Kept {
  try {
    const kept = JSON.parse(window.localStorage.getItem(keyOf(userId)) ?? 'null') as Kept | null;
    return kept ?? { campaigns: [], households: {}, forms: {} };
  } catch {
    return { campaigns: [], households: {}, forms: {} };
  }
}

function keep(userId: number, change: (kept: Kept) => void): void {
  const kept = readKept(userId);
  change(kept);
  try {
    window.localStorage.setItem(keyOf(userId), JSON.stringify(kept));
  } catch {
    // Full storage: the tab still works online.
  }
}

/**
 * 入户走访 on the phone: the households (or houses, or organisations: the campaign's unit) of the worker's grids
 * still to visit, on a list and a map; a visit is the
 * campaign's form, checked as it is filled, and goes to the outbox (sent now or when the phone is back online).
 */
export function HouseholdVisitsTab(props: { user: FieldUser; sync: () => Promise<void>; online: boolean }) {
  const { t } = useTranslation();
  // A volunteer visits for their task's campaign only; registrations are the community staff's to confirm.
  const confirms = (REGISTRATION_CONFIRMER_ROLES as readonly string[]).includes(props.user.role ?? '');
  const toConfirm = useRegistrationsToVisit(props.online && confirms);
  const [section, setSection] = useState<'visits' | 'registrations'>('visits');
  if (!confirms) return <CampaignVisits user={props.user} sync={props.sync} />;
  // Registrations (报备) are confirmed after a visit too: the same tab holds the grid's list of them.
  const switcher = (
    <Segmented
      block
      value={section}
      onChange={(v) => setSection(v as 'visits' | 'registrations')}
      data-testid="visit-section"
      options={[
        { value: 'visits', label: t('registrations.field.visits') },
        {
          value: 'registrations',
          label: (
            // The count beside the words, not over them: a two-digit badge covered the last character.
            <Space size={4}>
              {t('registrations.field.registrations')}
              <Badge count={toConfirm.data?.length ?? 0} size="small" />
            </Space>
          ),
        },
      ]}
    />
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {switcher}
      {section === 'registrations' ? (
        <RegistrationsToVisit online={props.online} />
      ) : (
        <CampaignVisits user={props.user} sync={props.sync} />
      )}
    </Space>
  );
}

function CampaignVisits({ user, sync }: { user: FieldUser; sync: () => Promise<void> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useEnumLabel();
  const [kept, setKept] = useState(() => readKept(user.id));
  const campaigns = useVisitCampaigns();
  // An ended campaign takes no more visits: the phone offers only those under way (or about to start).
  const list = (campaigns.data?.items ?? kept.campaigns).filter((c) => c.status !== 'ended');
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const campaign = list.find((c) => c.id === campaignId) ?? list[0] ?? null;
  const households = useHouseholds(campaign?.id ?? null, { status: 'unvisited', page: 1, pageSize: 2000 });
  const form = useFormVersion(campaign?.formVersionId ?? null);
  const [view, setView] = useState<'list' | 'map'>('list');
  const [open, setOpen] = useState<CampaignHousehold | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = useOutboxItems(user.id);

  useEffect(() => {
    const campaignsNow = campaigns.data?.items;
    const householdsNow = households.data?.items;
    const definition = form.data?.definition;
    if (!campaignsNow && !householdsNow && !definition) return;
    keep(user.id, (k) => {
      if (campaignsNow) k.campaigns = campaignsNow;
      if (campaign && householdsNow) k.households[campaign.id] = householdsNow;
      if (campaign && definition) k.forms[campaign.formVersionId] = definition;
    });
    setKept(readKept(user.id));
  }, [campaigns.data, households.data, form.data, campaign, user.id]);

  // Households visited from this phone are off the list at once, sent or not.
  const queued = useMemo(
    () =>
      new Set(
        items
          .filter(
            (i): i is HouseholdVisitItem => i.kind === 'householdVisit' && i.campaignId === campaign?.id,
          )
          .map((i) => i.input.household),
      ),
    [items, campaign?.id],
  );
  const toVisit = (
    households.data?.items ??
    (campaign ? kept.households[campaign.id] : undefined) ??
    []
  ).filter((h) => !queued.has(h.key));
  const definition = form.data?.definition ?? (campaign ? kept.forms[campaign.formVersionId] : undefined);

  if (!campaign) {
    return <Empty description={t('householdVisits.noCampaign')} />;
  }
  // The list's words follow what the campaign counts: 户, 房屋 or 单位.
  const words = `householdVisits.units.${campaign.unit}` as const;
  const people = campaign.unit !== 'organisation';
  if (open) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="household-visit-form">
        <Button icon={<ArrowLeftOutlined />} onClick={() => setOpen(null)}>
          {t('householdVisits.field.back')}
        </Button>
        <Card size="small" title={open.address}>
          <Typography.Text type="secondary">
            {`${open.gridName} · ${label(VISIT_UNIT_NAME_LABELS, campaign.unit)} ${open.headName || '—'}`}
            {people ? ` · ${t('householdVisits.household.residents')} ${open.residents}` : ''}
          </Typography.Text>
        </Card>
        {definition ? (
          <LazyFormRenderer
            definition={definition}
            language={locale}
            submitLabel={t('householdVisits.field.submit')}
            onSubmit={async (answers: Answers) => {
              await fieldOutbox().addHouseholdVisit(user.id, {
                campaignId: campaign.id,
                input: { household: open.key, visitedAt: new Date().toISOString(), answers },
                label: open.address,
              });
              setDone(open.address);
              setOpen(null);
              void sync();
            }}
          />
        ) : (
          <Alert type="warning" showIcon title={t('householdVisits.field.noForm')} />
        )}
      </Space>
    );
  }
  const points = toVisit
    .filter((h) => h.lon !== null && h.lat !== null)
    .map((h, i) => ({ id: i + 1, lon: h.lon as number, lat: h.lat as number, label: h.address }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="household-visits-tab">
      {list.length > 1 ? (
        <Select
          style={{ width: '100%' }}
          value={campaign.id}
          onChange={setCampaignId}
          placeholder={t('householdVisits.field.pick')}
          options={list.map((c) => ({ value: c.id, label: c.name }))}
        />
      ) : (
        <Typography.Text strong>{campaign.name}</Typography.Text>
      )}
      {done ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setDone(null)}
          title={`${done}：${t('householdVisits.field.queued')}`}
        />
      ) : null}
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text data-testid="to-visit-count">
          {t(`${words}.toVisit`, { count: toVisit.length })}
        </Typography.Text>
        <Segmented
          value={view}
          onChange={(v) => setView(v as 'list' | 'map')}
          options={[
            { value: 'list', label: t('householdVisits.field.list') },
            { value: 'map', label: t('householdVisits.field.map') },
          ]}
        />
      </Space>
      {view === 'map' ? (
        <section className="gg-map-wrap gg-field-map" data-testid="visit-map">
          <GridMap
            data={undefined}
            points={points}
            onPointSelect={(id) => {
              const household = toVisit.filter((h) => h.lon !== null && h.lat !== null)[(id ?? 0) - 1];
              if (household) setOpen(household);
            }}
          />
        </section>
      ) : null}
      <List
        dataSource={toVisit.slice(0, 200)}
        locale={{ emptyText: t(`${words}.none`) }}
        renderItem={(h) => (
          <List.Item
            actions={[
              <Button
                key="visit"
                type="primary"
                size="middle"
                icon={<HomeOutlined />}
                onClick={() => setOpen(h)}
              >
                {t(`${words}.visit`)}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={h.address}
              description={
                <span>
                  {h.gridName}
                  {h.headName ? ` · ${h.headName}` : ''}
                  {people ? ` · ${t('householdVisits.household.residents')} ${h.residents} ` : ' '}
                  {campaign.synthetic ? <Tag color="orange">{t('householdVisits.synthetic')}</Tag> : null}
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Space>
  );
}
