import { Button, Descriptions, Drawer, List, message, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DISPUTE_TYPE_LABELS,
  MEDIATION_SOURCE_LABELS,
  MEDIATION_STATE_LABELS,
  MEDIATION_WRITER_ROLES,
  type MediationDetail,
  PARTY_SIDE_LABELS,
  PROCEDURE_LABELS,
  REFERRAL_TARGET_LABELS,
} from '../../../shared/mediation.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { formatDateTime } from '../../components/time.ts';
import { revealParty, useMediation } from './api.ts';
import { type ActionKind, MediationActionModal } from './MediationActionModal.tsx';
import { label, shortDay } from './text.ts';

/** One mediation: parties (masked by role, revealed one field at a time), sessions, extensions and the outcome. */
export function MediationDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useMediation(id);
  const m = detail.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={m ? `${m.number}${m.synthetic ? `（${t('mediation.syntheticNote')}）` : ''}` : ''}
      loading={detail.isPending}
    >
      {m ? <Body mediation={m} /> : null}
    </Drawer>
  );
}

function Body({ mediation: m }: { mediation: MediationDetail }) {
  const { t, i18n } = useTranslation();
  const role = useSession().data?.user.role;
  const writer = role !== undefined && MEDIATION_WRITER_ROLES.includes(role);
  const [action, setAction] = useState<ActionKind | null>(null);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const l = (text: { zh: string; en: string }) => label(text, i18n.language);
  const reveal = async (partyId: number, field: 'idNumber' | 'phone') => {
    try {
      const result = await revealParty(m.id, partyId, field);
      setRevealed((current) => ({ ...current, [`${partyId}.${field}`]: result.value ?? '' }));
    } catch (error) {
      void message.error(errorText(error));
    }
  };
  const shown = (
    partyId: number,
    field: 'idNumber' | 'phone',
    masked: string | null,
    revealable: boolean,
  ) => (
    <Space size={4}>
      <span>{revealed[`${partyId}.${field}`] ?? masked ?? '—'}</span>
      {revealable && masked && !revealed[`${partyId}.${field}`] ? (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => void reveal(partyId, field)}>
          {t('mediation.detail.reveal')}
        </Button>
      ) : null}
    </Space>
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Tag color={m.state === 'settled' ? 'green' : m.state === 'unsettled' ? 'orange' : 'blue'}>
          {l(MEDIATION_STATE_LABELS[m.state])}
        </Tag>
        {m.light === 'red' ? <Tag color="red">{t('mediation.light.red')}</Tag> : null}
        {m.light === 'green' ? <Tag color="green">{t('mediation.light.green')}</Tag> : null}
        {m.escalated && m.light === 'red' ? (
          <Tag color="volcano">{t('mediation.light.escalated')}</Tag>
        ) : null}
      </Space>
      {writer ? (
        <Space wrap>
          {m.state === 'open' ? (
            <>
              <Button onClick={() => setAction('session')} data-testid="action-session">
                {t('mediation.actions.session')}
              </Button>
              <Button onClick={() => setAction('extend')}>{t('mediation.actions.extend')}</Button>
              <Button type="primary" onClick={() => setAction('settle')} data-testid="action-settle">
                {t('mediation.actions.settle')}
              </Button>
              <Button danger onClick={() => setAction('refer')}>
                {t('mediation.actions.refer')}
              </Button>
            </>
          ) : null}
          {m.state === 'settled' ? (
            <>
              <Button onClick={() => setAction('followUp')}>{t('mediation.actions.followUp')}</Button>
              <Button onClick={() => setAction('confirmation')}>{t('mediation.actions.confirmation')}</Button>
            </>
          ) : null}
        </Space>
      ) : null}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('mediation.columns.region')}>{m.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('mediation.columns.type')}>
          {l(DISPUTE_TYPE_LABELS[m.disputeType])}
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.columns.source')}>
          {l(MEDIATION_SOURCE_LABELS[m.source])}
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.form.procedure')}>
          {l(PROCEDURE_LABELS[m.procedure])}
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.columns.mediator')}>{m.mediatorName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('mediation.columns.caseNumber')}>{m.caseNumber ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('mediation.columns.accepted')}>
          {shortDay(m.acceptedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.columns.due')}>{shortDay(m.dueAt)}</Descriptions.Item>
        <Descriptions.Item label={t('mediation.detail.summary')} span={2}>
          {m.summary}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('mediation.detail.parties')}</Typography.Title>
      <List
        size="small"
        bordered
        dataSource={m.parties}
        renderItem={(p) => (
          <List.Item>
            <Space wrap>
              <Tag>{l(PARTY_SIDE_LABELS[p.side])}</Tag>
              <b>{p.name}</b>
              {shown(p.id, 'idNumber', p.idNumber, p.revealable.includes('idNumber'))}
              {shown(p.id, 'phone', p.phone, p.revealable.includes('phone'))}
              <span>{p.address ?? ''}</span>
            </Space>
          </List.Item>
        )}
      />
      <Typography.Title level={5}>{t('mediation.detail.sessions')}</Typography.Title>
      <List
        size="small"
        bordered
        locale={{ emptyText: t('mediation.detail.noSessions') }}
        dataSource={m.sessions}
        renderItem={(s) => (
          <List.Item>
            <Space orientation="vertical" size={0}>
              <span>
                {formatDateTime(s.heldAt)} · {s.place} · {s.recordedBy}
              </span>
              <span>
                {t('mediation.detail.matter')}：{s.matter}；{t('mediation.detail.result')}：{s.result}
              </span>
              {s.transcript ? (
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 2, expandable: true }}
                  style={{ margin: 0 }}
                >
                  {t('mediation.detail.transcript')}：{s.transcript}
                </Typography.Paragraph>
              ) : null}
            </Space>
          </List.Item>
        )}
      />
      {m.extensions.length ? (
        <>
          <Typography.Title level={5}>{t('mediation.detail.extensions')}</Typography.Title>
          {m.extensions.map((e) => (
            <div key={e.id}>
              +{e.days} · {t('mediation.detail.newDue', { date: shortDay(e.newDueAt) })} · {e.reason} ·{' '}
              {e.consent}
            </div>
          ))}
        </>
      ) : null}
      {m.agreement ? (
        <>
          <Typography.Title level={5}>
            {t('mediation.detail.agreement')} {m.agreement.number}
          </Typography.Title>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('mediation.form.facts')}>{m.agreement.facts}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.form.terms')}>
              <span style={{ whiteSpace: 'pre-line' }}>{m.agreement.terms}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('mediation.form.performanceMethod')}>
              {m.agreement.performanceMethod} · {m.agreement.performancePlace} · {m.agreement.performBy}
            </Descriptions.Item>
            <Descriptions.Item label={t('mediation.detail.followUp')}>
              {m.followUpDoneAt
                ? `${m.followUp.performed ? t('mediation.detail.performed') : t('mediation.detail.notPerformed')} · ${m.followUp.note ?? ''}`
                : `${t('mediation.detail.pending')} · ${t('mediation.detail.dueOn', { date: m.followUpDueOn ?? '' })}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('mediation.detail.confirmation')}>
              {m.confirmation.applied === null
                ? t('mediation.detail.dueOn', { date: m.confirmationDueOn ?? '' })
                : m.confirmation.applied
                  ? t('mediation.detail.applied')
                  : t('mediation.detail.notApplied')}
            </Descriptions.Item>
          </Descriptions>
          {writer ? (
            <Space>
              <a href={`/api/v1/mediations/${m.id}/agreement.pdf`} data-testid="agreement-pdf">
                {t('mediation.detail.pdf')}
              </a>
              <a href={`/api/v1/mediations/${m.id}/agreement.docx`} data-testid="agreement-docx">
                {t('mediation.detail.docx')}
              </a>
            </Space>
          ) : null}
        </>
      ) : null}
      {m.referral ? (
        <>
          <Typography.Title level={5}>{t('mediation.detail.referral')}</Typography.Title>
          <div>
            {l(REFERRAL_TARGET_LABELS[m.referral.referredTo])}
            {m.referral.department ? `（${m.referral.department}）` : ''}：{m.referral.reason}
          </div>
        </>
      ) : null}
      {action ? <MediationActionModal mediation={m} kind={action} onClose={() => setAction(null)} /> : null}
    </Space>
  );
}
