import { Alert, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { PARTY_POST_KIND_LABELS, type PartyPost } from '../../../shared/party.ts';
import { errorText } from '../../api/client.ts';
import { useLocale } from '../../i18n/index.ts';
import { type PartyDrill, usePartyPosts } from './api.ts';

/** Posts (岗位) with their kind, duties, holders and the issues reported in them. */
export function PostsPanel({ filter }: { filter: Omit<PartyDrill, 'title'> }) {
  const { t } = useTranslation();
  const lang = useLocale() === 'en-US' ? 'en' : 'zh';
  const posts = usePartyPosts(filter);
  return (
    <>
      {posts.isError ? <Alert type="error" showIcon title={errorText(posts.error)} /> : null}
      <Table<PartyPost>
        size="small"
        rowKey="id"
        loading={posts.isFetching}
        dataSource={posts.data?.items ?? []}
        scroll={{ x: 1000 }}
        pagination={{
          pageSize: 20,
          showSizeChanger: false,
          showTotal: (count) => t('party.posts.total', { count }),
        }}
        columns={[
          {
            title: t('party.posts.name'),
            dataIndex: 'name',
            fixed: 'left',
            width: 220,
            render: (name: string, p) => (
              <span>
                {name} <span style={{ color: '#999', fontSize: 12 }}>{p.code}</span>
              </span>
            ),
          },
          {
            title: t('party.posts.kind'),
            dataIndex: 'kind',
            render: (kind: PartyPost['kind']) => <Tag color="red">{PARTY_POST_KIND_LABELS[kind][lang]}</Tag>,
          },
          { title: t('party.posts.duties'), dataIndex: 'duties', ellipsis: true },
          {
            title: t('party.posts.holders'),
            render: (_, p) => p.holders.map((h) => h.name).join('、') || '—',
          },
          { title: t('party.posts.grid'), render: (_, p) => p.partyGrid?.name ?? '—', ellipsis: true },
          { title: t('party.posts.issues'), dataIndex: 'issues', align: 'right' },
        ]}
      />
    </>
  );
}
