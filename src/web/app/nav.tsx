import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  BarcodeOutlined,
  BranchesOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  EnvironmentOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  FlagOutlined,
  FormOutlined,
  FundOutlined,
  GatewayOutlined,
  GlobalOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  MobileOutlined,
  OrderedListOutlined,
  TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import {
  CHECKPOINT_READER_ROLES,
  FORM_AUTHOR_ROLES,
  INDICATOR_READER_ROLES,
  MEDIATION_READER_ROLES,
  PARTY_READER_ROLES,
  PATROL_READER_ROLES,
  REGISTRATION_READER_ROLES,
  VISIT_CAMPAIGN_READER_ROLES,
  REQUEST_READER_ROLES as VOLUNTEER_READER_ROLES,
} from '../../shared/access.ts';
import type { Role } from '../../shared/roles.ts';
import { INSPECTIONS_READER_ROLES } from '../features/inspections/roles.ts';
import type { Catalogue } from '../i18n/zh-CN.ts';

/**
 * The side menu. A later module (cases 事件, registry 四标四实, inspections 督查, bulletin 通报) adds one
 * entry here and its routes in `routes.tsx`; an entry is shown only to the roles listed.
 */
export interface NavItem {
  path: string;
  label: `nav.${keyof Catalogue['nav']}`;
  icon: ReactNode;
  roles: readonly Role[] | 'all';
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/work', label: 'nav.work', icon: <CarryOutOutlined />, roles: 'all' },
  { path: '/territory', label: 'nav.territory', icon: <EnvironmentOutlined />, roles: 'all' },
  { path: '/cases', label: 'nav.cases', icon: <AlertOutlined />, roles: 'all' },
  { path: '/registry', label: 'nav.registry', icon: <DatabaseOutlined />, roles: 'all' },
  { path: '/dashboard', label: 'nav.dashboard', icon: <DashboardOutlined />, roles: INDICATOR_READER_ROLES },
  { path: '/ranking', label: 'nav.ranking', icon: <OrderedListOutlined />, roles: INDICATOR_READER_ROLES },
  { path: '/indicators', label: 'nav.indicators', icon: <FundOutlined />, roles: INDICATOR_READER_ROLES },
  { path: '/bulletins', label: 'nav.bulletins', icon: <FileTextOutlined />, roles: INDICATOR_READER_ROLES },
  {
    path: '/inspections',
    label: 'nav.inspections',
    icon: <FileSearchOutlined />,
    roles: INSPECTIONS_READER_ROLES,
  },
  { path: '/patrols', label: 'nav.patrols', icon: <GatewayOutlined />, roles: PATROL_READER_ROLES },
  { path: '/forms', label: 'nav.forms', icon: <FormOutlined />, roles: FORM_AUTHOR_ROLES },
  {
    path: '/household-visits',
    label: 'nav.householdVisits',
    icon: <HomeOutlined />,
    roles: VISIT_CAMPAIGN_READER_ROLES,
  },
  {
    path: '/checkpoints',
    label: 'nav.checkpoints',
    icon: <BarcodeOutlined />,
    roles: CHECKPOINT_READER_ROLES,
  },
  {
    path: '/registrations',
    label: 'nav.registrations',
    icon: <IdcardOutlined />,
    roles: REGISTRATION_READER_ROLES,
  },
  { path: '/volunteers', label: 'nav.volunteers', icon: <HeartOutlined />, roles: VOLUNTEER_READER_ROLES },
  { path: '/party', label: 'nav.party', icon: <FlagOutlined />, roles: PARTY_READER_ROLES },
  { path: '/mediation', label: 'nav.mediation', icon: <FlagOutlined />, roles: MEDIATION_READER_ROLES },
  {
    path: '/field',
    label: 'nav.field',
    icon: <MobileOutlined />,
    roles: ['gridWorker', 'inspector', 'administrator', 'volunteer', 'partyMember'],
  },
  { path: '/admin/users', label: 'nav.users', icon: <TeamOutlined />, roles: ['administrator'] },
  {
    path: '/admin/departments',
    label: 'nav.departments',
    icon: <ApartmentOutlined />,
    roles: ['administrator'],
  },
  { path: '/admin/categories', label: 'nav.categories', icon: <TagsOutlined />, roles: ['administrator'] },
  { path: '/admin/routing', label: 'nav.routing', icon: <BranchesOutlined />, roles: ['administrator'] },
  { path: '/admin/calendar', label: 'nav.calendar', icon: <CalendarOutlined />, roles: ['administrator'] },
  { path: '/admin/basemap', label: 'nav.basemap', icon: <GlobalOutlined />, roles: ['administrator'] },
  { path: '/admin/webhooks', label: 'nav.webhooks', icon: <ApiOutlined />, roles: ['administrator'] },
  { path: '/admin/open311', label: 'nav.apiKeys', icon: <KeyOutlined />, roles: ['administrator'] },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles === 'all' || item.roles.includes(role));
}

export function canSee(role: Role, path: string): boolean {
  return navItemsFor(role).some((item) => path === item.path || path.startsWith(`${item.path}/`));
}
