// The console's texts, before this screen renders (the login and the portal go without them).
import '../../i18n/console.ts';
import {
  ApartmentOutlined,
  AuditOutlined,
  BarcodeOutlined,
  CameraOutlined,
  CloudUploadOutlined,
  DesktopOutlined,
  GatewayOutlined,
  HeartOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Alert, Badge, Button, ConfigProvider, Drawer, Space, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useMatch, useNavigate, useSearchParams } from 'react-router';
import { CHECKPOINT_LOGGER_ROLES } from '../../../shared/checkpoints.ts';
import { HOUSEHOLD_VISITOR_ROLES } from '../../../shared/household-visits.ts';
import type { SessionInfo } from '../../../shared/people.ts';
import type { Role } from '../../../shared/roles.ts';
import { useSession } from '../../api/session.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { HouseholdVisitsTab } from '../household-visits/HouseholdVisitsTab.tsx';
import { CheckpointTab } from './CheckpointTab.tsx';
import { FieldCasePage, fieldCasePath } from './FieldCasePage.tsx';
import { InspectionsTab } from './InspectionsTab.tsx';
import { OutboxList } from './OutboxList.tsx';
import type { OutboxItem, ReportItem } from './outbox.ts';
import { PatrolTab } from './PatrolTab.tsx';
import { ReportTab } from './ReportTab.tsx';
import { TasksTab } from './TasksTab.tsx';
import { useFieldTasks } from './tasks.ts';
import { useOnline, useOutboxItems, useOutboxSync } from './useOutbox.ts';
import { VerifyTab } from './VerifyTab.tsx';
import { VOLUNTEER_TAB_ROLES, VolunteerTab } from './VolunteerTab.tsx';
import './field.css';

const TABS = [
  'report',
  'patrol',
  'householdVisit',
  'tasks',
  'verify',
  'inspect',
  'checkpoint',
  'volunteer',
] as const;
export type FieldTab = (typeof TABS)[number];

const TAB_ICONS: Record<FieldTab, ReactNode> = {
  householdVisit: <HomeOutlined />,
  report: <CameraOutlined />,
  patrol: <GatewayOutlined />,
  tasks: <UnorderedListOutlined />,
  verify: <SafetyCertificateOutlined />,
  inspect: <AuditOutlined />,
  checkpoint: <BarcodeOutlined />,
  volunteer: <HeartOutlined />,
};

/** Who visits inspection targets from the phone (督查). */
const INSPECTING_ROLES: readonly Role[] = ['inspector', 'administrator'];

/** The tab whose work an outbox item is, for the dot on the tab while it waits. */
const tabOf = (item: OutboxItem): FieldTab =>
  item.kind === 'visit' || item.kind === 'reinspect'
    ? 'inspect'
    : item.kind === 'checkpoint'
      ? 'checkpoint'
      : item.kind === 'householdVisit'
        ? 'householdVisit'
        : 'report';

/** Who the field view works for: the session, or offline the last user it saw on this phone. */
export interface FieldUser {
  id: number;
  displayName: string;
  scopeName: string;
  /** Absent in what an older version kept for offline starts. */
  role?: Role;
}

const LAST_USER_KEY = 'gridgov.field.user';

function readLastUser(): FieldUser | null {
  try {
    const stored = JSON.parse(window.localStorage.getItem(LAST_USER_KEY) ?? 'null') as FieldUser | null;
    return stored && typeof stored.id === 'number' ? stored : null;
  } catch {
    return null;
  }
}

function rememberUser(session: SessionInfo): void {
  const user: FieldUser = {
    id: session.user.id,
    displayName: session.user.displayName,
    scopeName: session.scope.name,
    role: session.user.role,
  };
  try {
    window.localStorage.setItem(LAST_USER_KEY, JSON.stringify(user));
  } catch {
    // Without storage the field view still works online; offline starts then need a network first.
  }
}

/**
 * The phone view for grid workers and inspectors: report, my tasks, verify. It also opens without a network
 * (the service worker keeps the app, the outbox keeps what was done) for the last user who signed in here.
 */
export default function FieldPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [lastUser] = useState(readLastUser);
  const online = useOnline();
  const [sentLater, setSentLater] = useState<ReportItem[]>([]);
  const sync = useOutboxSync(
    session.data,
    async () => (await session.refetch()).data,
    (reports) => setSentLater((shown) => [...shown, ...reports]),
  );

  useEffect(() => {
    if (session.data) rememberUser(session.data);
  }, [session.data]);

  // Only before anything is known: a session asked again after an offline start is "pending" once more, and
  // hiding the shell then would throw away whatever the user is filling in when the signal comes back.
  if (session.isPending && !session.errorUpdatedAt) return <PageSpinner />;
  if (session.data === null) return <Navigate to="/login" replace state={{ from: '/field' }} />;
  const user: FieldUser | null = session.data
    ? {
        id: session.data.user.id,
        displayName: session.data.user.displayName,
        scopeName: session.data.scope.name,
        role: session.data.user.role,
      }
    : lastUser;
  if (!user) {
    return (
      <div className="gg-field-blocked">
        <Alert type="warning" showIcon title={t('field.needLogin')} />
        <ErrorResult error={session.error} onRetry={() => void session.refetch()} />
      </div>
    );
  }
  return (
    <ConfigProvider componentSize="large">
      <FieldShell
        user={user}
        confirmed={Boolean(session.data)}
        online={online}
        sync={sync}
        sentLater={sentLater}
        onSentLaterSeen={() => setSentLater([])}
      />
    </ConfigProvider>
  );
}

function FieldShell({
  user,
  confirmed,
  online,
  sync,
  sentLater,
  onSentLaterSeen,
}: {
  user: FieldUser;
  confirmed: boolean;
  online: boolean;
  sync: () => Promise<void>;
  /** Reports the outbox sent on its own (back online, app start) since the worker last closed the notice. */
  sentLater: readonly ReportItem[];
  onSentLaterSeen: () => void;
}) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const caseMatch = useMatch('/field/cases/:id');
  const openCaseId = Number(caseMatch?.params.id) || null;
  // A volunteer reports and serves their tasks; cases to handle or verify are staff work.
  const volunteer = user.role === 'volunteer';
  const tabs = TABS.filter(
    (name) =>
      !(volunteer && (name === 'tasks' || name === 'verify')) &&
      (name !== 'inspect' || (user.role !== undefined && INSPECTING_ROLES.includes(user.role))) &&
      (name !== 'patrol' || user.role === 'gridWorker') &&
      (name !== 'checkpoint' || (user.role !== undefined && CHECKPOINT_LOGGER_ROLES.includes(user.role))) &&
      (name !== 'volunteer' || (user.role !== undefined && VOLUNTEER_TAB_ROLES.includes(user.role))) &&
      (name !== 'householdVisit' || (user.role !== undefined && HOUSEHOLD_VISITOR_ROLES.includes(user.role))),
  );
  const tab: FieldTab = (tabs as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as FieldTab)
    : volunteer
      ? 'volunteer'
      : 'report';
  const [outboxOpen, setOutboxOpen] = useState(false);
  const items = useOutboxItems(user.id);
  const waiting = items.filter((item) => item.status !== 'sent');
  const needsAttention = waiting.some((item) => item.status === 'failed' || item.status === 'conflict');
  const toVerify = useFieldTasks(user.id, 'handled').total;

  const go = (next: FieldTab, extra: Record<string, string> = {}) =>
    navigate(`/field?${new URLSearchParams({ tab: next, ...extra })}`, { replace: true });
  // A case's page is a step in the history, so the phone's back button leaves it as the in-app one does.
  const openCase = (caseId: number) => navigate(fieldCasePath(caseId, tab));
  const closeCase = () => (location.key === 'default' ? go(tab) : navigate(-1));

  return (
    <div className="gg-field">
      <header className="gg-field-header">
        <span className="gg-brand-mark">
          <ApartmentOutlined />
        </span>
        <div className="gg-field-who">
          <Typography.Text strong ellipsis>
            {t(volunteer ? 'field.titleVolunteer' : 'field.title')}
          </Typography.Text>
          <Typography.Text type="secondary" ellipsis data-testid="field-user">
            {user.displayName} · {user.scopeName}
          </Typography.Text>
        </div>
        <Button
          size="middle"
          type={waiting.length ? 'primary' : 'default'}
          danger={needsAttention}
          icon={<CloudUploadOutlined />}
          onClick={() => setOutboxOpen(true)}
          data-testid="outbox-badge"
        >
          {waiting.length ? t('field.outbox.badge', { count: waiting.length }) : t('field.outbox.allSent')}
        </Button>
      </header>
      <div className="gg-field-tools">
        <LanguageSwitch />
        <Link to="/cases">
          <Button size="small" type="link" icon={<DesktopOutlined />}>
            {t('field.console')}
          </Button>
        </Link>
      </div>
      {online ? null : (
        <Alert
          type="warning"
          showIcon
          banner
          title={t('field.offline')}
          description={confirmed ? undefined : t('field.offlineUser', { name: user.displayName })}
          data-testid="offline-banner"
        />
      )}
      {sentLater.length ? (
        <Alert
          key={sentLater[0]?.id}
          type="success"
          showIcon
          banner
          closable={{ afterClose: onSentLaterSeen }}
          data-testid="sent-later"
          title={
            <Space orientation="vertical" size={0}>
              {sentLater.map((item) =>
                item.caseId ? (
                  <Link key={item.id} to={fieldCasePath(item.caseId, tab)}>
                    {t('caseView.field.sentLater', { caseNumber: item.caseNumber })}
                  </Link>
                ) : null,
              )}
            </Space>
          }
        />
      ) : null}
      <main className="gg-field-main">
        {openCaseId ? (
          <FieldCasePage
            user={user}
            caseId={openCaseId}
            onBack={closeCase}
            onVerify={(caseId) => go('verify', { case: String(caseId) })}
          />
        ) : (
          <>
            {tab === 'report' ? <ReportTab user={user} online={online} sync={sync} /> : null}
            {tab === 'patrol' ? (
              <PatrolTab user={user} online={online} onReport={() => go('report')} />
            ) : null}
            {tab === 'tasks' ? (
              <TasksTab
                user={user}
                onVerify={(caseId) => go('verify', { case: String(caseId) })}
                onOpen={openCase}
              />
            ) : null}
            {tab === 'verify' ? (
              <VerifyTab
                user={user}
                caseId={Number(params.get('case')) || null}
                onPick={(caseId) => go('verify', caseId ? { case: String(caseId) } : {})}
                sync={sync}
              />
            ) : null}
            {tab === 'checkpoint' ? <CheckpointTab user={user} sync={sync} /> : null}
            {tab === 'volunteer' ? <VolunteerTab user={user} onGo={(next) => go(next)} /> : null}
            {tab === 'householdVisit' ? <HouseholdVisitsTab user={user} sync={sync} online={online} /> : null}
            {tab === 'inspect' ? (
              <InspectionsTab
                user={user}
                visit={params.get('visit')}
                queued={params.get('queued')}
                onOpen={(key, queued) =>
                  go('inspect', { ...(key ? { visit: key } : {}), ...(queued ? { queued } : {}) })
                }
                sync={sync}
              />
            ) : null}
          </>
        )}
      </main>
      <nav className="gg-field-tabbar" aria-label={t('field.title')}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            className={name === tab ? 'gg-field-tab gg-field-tab-active' : 'gg-field-tab'}
            aria-current={name === tab ? 'page' : undefined}
            onClick={() => go(name)}
          >
            <Badge
              {...(name === 'verify' && toVerify
                ? { count: toVerify, size: 'small' as const }
                : { dot: waiting.some((item) => tabOf(item) === name) })}
              offset={[2, 0]}
            >
              <span className="gg-field-tab-icon">{TAB_ICONS[name]}</span>
            </Badge>
            <span>
              {name === 'householdVisit'
                ? t('householdVisits.field.tab')
                : name === 'volunteer'
                  ? t('volunteers.field.tab')
                  : name === 'checkpoint'
                    ? t('checkpoints.field.tab')
                    : name === 'inspect'
                      ? t('fieldInspections.tab')
                      : name === 'patrol'
                        ? t('patrols.field.tab')
                        : t(`field.tabs.${name}`)}
            </span>
          </button>
        ))}
      </nav>
      <Drawer
        open={outboxOpen}
        onClose={() => setOutboxOpen(false)}
        placement="bottom"
        size="75vh"
        title={t('field.outbox.title')}
      >
        <OutboxList
          user={user}
          online={online}
          sync={sync}
          tab={tab}
          onLeave={() => setOutboxOpen(false)}
          onFix={(id) => {
            setOutboxOpen(false);
            go('report', { fix: id });
          }}
        />
      </Drawer>
    </div>
  );
}
