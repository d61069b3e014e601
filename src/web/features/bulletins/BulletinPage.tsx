import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  BULLETIN_FORMATS,
  BULLETIN_WRITER_ROLES,
  type Bulletin,
  type BulletinTableRow,
  type BulletinText,
  type BulletinUnitCases,
  bulletinNumberText,
} from '../../../shared/bulletins.ts';
import { INDICATORS } from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { bulletinFileUrl, useBulletin, usePublishBulletin, useUpdateBulletin } from './api.ts';
import { STATUS_COLOURS } from './BulletinsPage.tsx';

const RATES = [
  'handlingRate',
  'onTimeHandlingRate',
  'reworkRate',
  'overduePendingRate',
  'extensionRate',
] as const;
const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const change = (now: number | null, before: number | null) => {
  if (now === null || before === null) return '—';
  const d = Math.round((now - before) * 100) / 100;
  return d > 0 ? `+${d.toFixed(2)}` : d.toFixed(2);
};

/** `/bulletins/:id`: a bulletin's text (editable while a draft), its computed tables, publish and downloads. */
export default function BulletinPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const bulletin = useBulletin(id);
  const session = useSession();
  if (bulletin.error) return <Alert type="error" message={errorText(bulletin.error)} />;
  if (!bulletin.data) return <Card loading />;
  const b = bulletin.data;
  const mayWrite = BULLETIN_WRITER_ROLES.includes(session.data?.user.role ?? 'gridWorker');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/bulletins">
        <ArrowLeftOutlined /> {t('bulletins.back')}
      </Link>
      <Card
        title={
          <Space wrap>
            <span>{b.text.title}</span>
            <Typography.Text type="secondary">
              {bulletinNumberText(b.year, b.seq, b.content.language)}
            </Typography.Text>
            <Tag color={STATUS_COLOURS[b.status]} data-testid="bulletin-status">
              {t(`bulletins.status.${b.status}`)}
            </Tag>
          </Space>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {b.content.scope.name} · {b.content.period.from} ~ {b.content.period.to} ·{' '}
            {t('bulletins.scheme', { version: b.content.scheme.version })}
          </Typography.Text>
          <Space wrap>
            {BULLETIN_FORMATS.map((format) => (
              <Button
                key={format}
                icon={<DownloadOutlined />}
                href={bulletinFileUrl(b.id, format)}
                download
                data-testid={`bulletin-download-${format}`}
              >
                {t(`bulletins.downloads.${format}`)}
              </Button>
            ))}
          </Space>
          {b.status === 'published' ? (
            <>
              <Alert
                type="success"
                message={t('bulletins.frozen')}
                description={t('bulletins.published', {
                  by: b.publishedBy,
                  at: b.publishedAt?.slice(0, 16).replace('T', ' '),
                })}
              />
              <ReadText bulletin={b} />
            </>
          ) : mayWrite ? (
            <EditText bulletin={b} />
          ) : (
            <ReadText bulletin={b} />
          )}
        </Space>
      </Card>
      <Tables bulletin={b} />
    </Space>
  );
}

function ReadText({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useTranslation();
  return (
    <div data-testid="bulletin-text">
      <Typography.Title level={5}>{t('bulletins.fields.office')}</Typography.Title>
      <Typography.Paragraph>{bulletin.text.office}</Typography.Paragraph>
      <Typography.Title level={5}>{t('bulletins.fields.headline')}</Typography.Title>
      <Typography.Paragraph data-testid="bulletin-headline">{bulletin.text.headline}</Typography.Paragraph>
      {bulletin.text.closing && (
        <>
          <Typography.Title level={5}>{t('bulletins.fields.closing')}</Typography.Title>
          <Typography.Paragraph>{bulletin.text.closing}</Typography.Paragraph>
        </>
      )}
    </div>
  );
}

function EditText({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState<BulletinText>(bulletin.text);
  useEffect(() => setText(bulletin.text), [bulletin.text]);
  const update = useUpdateBulletin(bulletin.id);
  const publish = usePublishBulletin(bulletin.id);
  const changed = JSON.stringify(text) !== JSON.stringify(bulletin.text);
  const field = (key: keyof BulletinText, rows?: number) => (
    <Form.Item
      label={t(`bulletins.fields.${key}`)}
      extra={key === 'headline' ? t('bulletins.headlineHint') : undefined}
    >
      {rows ? (
        <Input.TextArea
          autoSize={{ minRows: rows, maxRows: 12 }}
          value={text[key]}
          onChange={(e) => setText({ ...text, [key]: e.target.value })}
          data-testid={`bulletin-${key}`}
        />
      ) : (
        <Input
          value={text[key]}
          onChange={(e) => setText({ ...text, [key]: e.target.value })}
          data-testid={`bulletin-${key}`}
        />
      )}
    </Form.Item>
  );
  return (
    <Form layout="vertical">
      {field('title')}
      {field('office')}
      {field('headline', 4)}
      {field('closing', 3)}
      {(update.error || publish.error) && (
        <Alert type="error" message={errorText(update.error ?? publish.error)} />
      )}
      <Space wrap>
        <Button
          disabled={!changed}
          loading={update.isPending}
          data-testid="bulletin-save"
          onClick={() =>
            update.mutate(
              { version: bulletin.version, ...text },
              { onSuccess: () => void message.success(t('bulletins.saved')) },
            )
          }
        >
          {t('bulletins.save')}
        </Button>
        <Popconfirm
          title={t('bulletins.publishConfirm')}
          onConfirm={() => publish.mutate(bulletin.version)}
          disabled={changed}
        >
          <Button
            type="primary"
            disabled={changed}
            loading={publish.isPending}
            data-testid="bulletin-publish"
          >
            {t('bulletins.publish')}
          </Button>
        </Popconfirm>
      </Space>
    </Form>
  );
}

function Tables({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const c = bulletin.content;
  const rankingColumns = [
    {
      title: t('bulletins.col.rank'),
      key: 'rank',
      render: (_: unknown, r: BulletinTableRow) => r.rank ?? '—',
      width: 56,
    },
    { title: t('bulletins.col.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('bulletins.col.composite'),
      key: 'composite',
      render: (_: unknown, r: BulletinTableRow) => score(r.composite),
    },
    {
      title: t('bulletins.col.change'),
      key: 'change',
      render: (_: unknown, r: BulletinTableRow) => change(r.composite, r.previousComposite),
    },
    ...RATES.map((k) => ({
      title: pickLabel(INDICATORS[k].label, locale),
      key: k,
      render: (_: unknown, r: BulletinTableRow) => percent(r[k]),
    })),
  ];
  const caseColumns = [
    { title: t('bulletins.col.unit'), dataIndex: 'name', key: 'name', width: 140 },
    { title: t('bulletins.col.count'), dataIndex: 'count', key: 'count', width: 70 },
    {
      title: t('bulletins.col.caseNumbers'),
      key: 'cases',
      render: (_: unknown, u: BulletinUnitCases) => u.caseNumbers.join('、'),
    },
  ];
  const names = (list: string[]) => (list.length ? list.join('、') : t('bulletins.none'));
  const table = <T extends object>(title: string, rows: T[], columns: object[], key: string) => (
    <Card size="small" title={title} key={title}>
      <Table<T>
        rowKey={key}
        size="small"
        pagination={false}
        dataSource={rows}
        columns={columns as never}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('bulletins.noRows') }}
      />
    </Card>
  );
  return (
    <Card title={t('bulletins.tables')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {table(t(`bulletins.units.${c.unitKind}`), c.units, rankingColumns, 'key')}
        {table(t('bulletins.departments'), c.departments, rankingColumns, 'key')}
        {table(t('bulletins.overdue'), c.overdue, caseColumns, 'name')}
        {table(t('bulletins.reworked'), c.reworked, caseColumns, 'name')}
        {c.inspections.length > 0 &&
          table(
            t('bulletins.inspections'),
            c.inspections,
            [
              { title: t('bulletins.col.campaign'), dataIndex: 'name', key: 'name' },
              {
                title: t('bulletins.col.visited'),
                key: 'v',
                render: (_: unknown, i: (typeof c.inspections)[number]) => `${i.visited} / ${i.targets}`,
              },
              {
                title: t('bulletins.col.averageRate'),
                key: 'a',
                render: (_: unknown, i: (typeof c.inspections)[number]) =>
                  i.averageRate === null ? '—' : `${i.averageRate.toFixed(2)}%`,
              },
              { title: t('bulletins.col.vetoed'), dataIndex: 'vetoed', key: 'vetoed' },
            ],
            'name',
          )}
        <Card size="small" title={t('bulletins.lists')}>
          <Typography.Paragraph>
            <Tag color="red">{t('bulletins.red')}</Tag>
            {names([...c.redList.units, ...c.redList.departments])}
          </Typography.Paragraph>
          <Typography.Paragraph>
            <Tag color="default">{t('bulletins.black')}</Tag>
            {names([...c.blackList.units, ...c.blackList.departments])}
          </Typography.Paragraph>
        </Card>
      </Space>
    </Card>
  );
}
