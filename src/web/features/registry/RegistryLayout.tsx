import { Input, Select, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { REGISTRY_PATHS } from '../../../shared/registry.ts';
import { useSession } from '../../api/session.ts';
import { useRegistryLabels } from './labels.ts';
import { policyOf } from './policy.ts';

/**
 * The registry section: the one search box across types on top, then a tab per type the role may read and the
 * section's other pages (coverage, import, the personal data log).
 */
export default function RegistryLayout() {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const role = useSession().data?.user.role;
  const policy = policyOf(role);
  const onSearch = location.pathname === '/registry/search';
  const [q, setQ] = useState(onSearch ? (params.get('q') ?? '') : '');
  const [entities, setEntities] = useState<string>(onSearch ? (params.get('entities') ?? '') : '');
  if (!policy) return null;

  const tabs = [
    ...policy.read.map((entity) => ({
      key: `/registry/${REGISTRY_PATHS[entity]}`,
      label: labels.entity(entity),
    })),
    { key: '/registry/coverage', label: t('registry.sections.coverage') },
    ...(policy.write ? [{ key: '/registry/import', label: t('registry.sections.import') }] : []),
    ...(role === 'administrator'
      ? [{ key: '/registry/personal-data-log', label: t('registry.sections.log') }]
      : []),
    ...(onSearch ? [{ key: '/registry/search', label: t('registry.sections.search') }] : []),
  ];
  if (location.pathname === '/registry' || location.pathname === '/registry/') {
    return <Navigate to={tabs[0]?.key ?? '/registry/coverage'} replace />;
  }
  const active = tabs.find((tab) => location.pathname.startsWith(tab.key))?.key ?? '';

  const search = (text: string, types = entities) => {
    const query = new URLSearchParams({ q: text.trim() });
    if (types) query.set('entities', types);
    if (text.trim()) navigate(`/registry/search?${query}`);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="gg-registry-top">
        <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
          {t('registry.title')}
        </Typography.Title>
        <Space.Compact style={{ flex: 1, maxWidth: 720 }}>
          <Select
            aria-label={t('registry.search.typeFilter')}
            style={{ width: 140 }}
            value={entities}
            onChange={(value: string) => {
              setEntities(value);
              if (onSearch && q.trim()) search(q, value);
            }}
            options={[
              { value: '', label: t('registry.search.allTypes') },
              ...policy.read.map((entity) => ({ value: entity, label: labels.entity(entity) })),
            ]}
          />
          <Input.Search
            data-testid="registry-search"
            aria-label={t('registry.search.placeholder')}
            placeholder={t('registry.search.placeholder')}
            allowClear
            enterButton
            value={q}
            onChange={(event) => setQ(event.target.value)}
            onSearch={(text) => search(text)}
          />
        </Space.Compact>
      </div>
      <Tabs
        className="gg-registry-tabs"
        activeKey={active}
        onChange={(key) => navigate(key)}
        items={tabs}
        tabBarStyle={{ marginBottom: 0 }}
      />
      <Outlet />
    </Space>
  );
}
