import { EyeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartyMember } from '../../../shared/party.ts';
import { PARTY_REVEAL_ROLES } from '../../../shared/party.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { type PartyDrill, revealMember, usePartyMembers } from './api.ts';

const PAGE_SIZE = 20;

/** Party members in the scope, filtered by branch, post or grid; ID numbers and phones masked, revealed one at a time. */
export function MembersPanel({ filter }: { filter: Omit<PartyDrill, 'title'> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const role = useSession().data?.user.role;
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const members = usePartyMembers(
    { ...filter, ...(q ? { q } : {}) },
    { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
  );
  const mayReveal = role !== undefined && PARTY_REVEAL_ROLES.includes(role);
  const reveal = async (member: PartyMember, field: 'idNumber' | 'phone') => {
    try {
      const result = await revealMember(member.id, field);
      setRevealed((current) => ({ ...current, [`${member.id}:${field}`]: result.value ?? '—' }));
    } catch (error) {
      void message.error(errorText(error));
    }
  };
  const sensitive = (member: PartyMember, field: 'idNumber' | 'phone') => {
    const shown = revealed[`${member.id}:${field}`] ?? member[field] ?? '—';
    return (
      <Space size={2}>
        <span style={{ fontFamily: 'monospace' }}>{shown}</span>
        {mayReveal && !revealed[`${member.id}:${field}`] && member[field] ? (
          <Tooltip title={t('party.members.reveal')}>
            <Button
              type="text"
              size="small"
              icon={<EyeOutlined />}
              aria-label={t('party.members.reveal')}
              onClick={() => void reveal(member, field)}
            />
          </Tooltip>
        ) : null}
      </Space>
    );
  };

  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('party.members.search')}
        style={{ maxWidth: 280, marginBottom: 12 }}
        onSearch={(value) => {
          setQ(value.trim());
          setPage(1);
        }}
      />
      {members.isError ? <Alert type="error" showIcon title={errorText(members.error)} /> : null}
      <Table<PartyMember>
        size="small"
        rowKey="id"
        loading={members.isFetching}
        dataSource={members.data?.items ?? []}
        scroll={{ x: 1000 }}
        data-testid="party-members"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: members.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('party.members.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: t('party.members.name'), dataIndex: 'name', fixed: 'left', width: 90 },
          { title: t('party.members.idNumber'), render: (_, m) => sensitive(m, 'idNumber') },
          { title: t('party.members.phone'), render: (_, m) => sensitive(m, 'phone') },
          { title: t('party.members.branch'), render: (_, m) => m.branch.name, ellipsis: true },
          { title: t('party.members.post'), render: (_, m) => m.post?.name ?? '—', ellipsis: true },
          { title: t('party.members.grid'), render: (_, m) => m.partyGrid?.name ?? '—', ellipsis: true },
          {
            title: t('party.members.resident'),
            render: (_, m) =>
              m.residentId ? (
                <Tag color="green">{t('party.members.linked')}</Tag>
              ) : (
                <Tag>{t('party.members.notLinked')}</Tag>
              ),
          },
          { title: t('party.members.issues'), dataIndex: 'issues', align: 'right' },
        ]}
      />
    </>
  );
}
