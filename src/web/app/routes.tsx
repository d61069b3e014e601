import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { lazy, type ReactNode, Suspense, use, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import {
  CHECKPOINT_READER_ROLES,
  FORM_AUTHOR_ROLES,
  HOTLINE_IMPORT_ROLES,
  INDICATOR_READER_ROLES,
  MEDIATION_READER_ROLES,
  PARTY_READER_ROLES,
  PATROL_READER_ROLES,
  REGISTRATION_READER_ROLES,
  VISIT_CAMPAIGN_READER_ROLES,
  REQUEST_READER_ROLES as VOLUNTEER_READER_ROLES,
} from '../../shared/access.ts';
import type { Role } from '../../shared/roles.ts';
import { setUnauthorizedHandler } from '../api/client.ts';
import { sessionKey, useSession } from '../api/session.ts';
import { PageSpinner } from '../components/PageSpinner.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { INSPECTIONS_READER_ROLES } from '../features/inspections/roles.ts';

const TerritoryPage = lazy(() => import('../features/territory/TerritoryPage.tsx'));
const WorkPage = lazy(() => import('../features/work/WorkPage.tsx'));
const RegionPage = lazy(() => import('../features/territory/RegionPage.tsx'));
const CasesPage = lazy(() => import('../features/cases/CasesPage.tsx'));
const CasePage = lazy(() => import('../features/cases/CasePage.tsx'));
const ReportCasePage = lazy(() => import('../features/cases/ReportCasePage.tsx'));
const HotlineImportPage = lazy(() => import('../features/hotline/HotlineImportPage.tsx'));
const UsersPage = lazy(() => import('../features/people/UsersPage.tsx'));
const DepartmentsPage = lazy(() => import('../features/people/DepartmentsPage.tsx'));
const FieldPage = lazy(() => import('../features/field/FieldPage.tsx'));
const CategoriesPage = lazy(() => import('../features/cases/CategoriesPage.tsx'));
const RoutingRulesPage = lazy(() => import('../features/cases/RoutingRulesPage.tsx'));
const CalendarPage = lazy(() => import('../features/calendar/CalendarPage.tsx'));
const BasemapPage = lazy(() => import('../features/territory/BasemapPage.tsx'));
const WebhooksPage = lazy(() => import('../features/webhooks/WebhooksPage.tsx'));
const ApiKeysPage = lazy(() => import('../features/open311/ApiKeysPage.tsx'));
const RegistryLayout = lazy(() => import('../features/registry/RegistryLayout.tsx'));
const RegistryListPage = lazy(() => import('../features/registry/RegistryListPage.tsx'));
const RegistrySearchPage = lazy(() => import('../features/registry/SearchPage.tsx'));
const RegistryCoveragePage = lazy(() => import('../features/registry/CoveragePage.tsx'));
const RegistryImportPage = lazy(() => import('../features/registry/ImportPage.tsx'));
const PersonalDataLogPage = lazy(() => import('../features/registry/PersonalDataLogPage.tsx'));
const PatrolsPage = lazy(() => import('../features/patrols/PatrolsPage.tsx'));
const CheckpointsPage = lazy(() => import('../features/checkpoints/CheckpointsPage.tsx'));
const HouseholdVisitsPage = lazy(() => import('../features/household-visits/HouseholdVisitsPage.tsx'));
const FormsPage = lazy(() => import('../features/forms/FormsPage.tsx'));
const FormBuilderPage = lazy(() => import('../features/forms/FormBuilderPage.tsx'));
const PartyPage = lazy(() => import('../features/party/PartyPage.tsx'));
const MediationPage = lazy(() => import('../features/mediation/MediationPage.tsx'));
const VolunteersPage = lazy(() => import('../features/volunteers/VolunteersPage.tsx'));
const IndicatorsPage = lazy(() => import('../features/evaluation/IndicatorsPage.tsx'));
const BulletinsPage = lazy(() => import('../features/bulletins/BulletinsPage.tsx'));
const BulletinPage = lazy(() => import('../features/bulletins/BulletinPage.tsx'));
const RankingPage = lazy(() => import('../features/evaluation/RankingPage.tsx'));
const DashboardPage = lazy(() => import('../features/evaluation/DashboardPage.tsx'));
const InspectionsLayout = lazy(() => import('../features/inspections/InspectionsLayout.tsx'));
const CampaignsPage = lazy(() => import('../features/inspections/CampaignsPage.tsx'));
const CampaignWizard = lazy(() => import('../features/inspections/CampaignWizard.tsx'));
const CampaignPage = lazy(() => import('../features/inspections/CampaignPage.tsx'));
const VisitPage = lazy(() => import('../features/inspections/VisitPage.tsx'));
const ChecklistsPage = lazy(() => import('../features/inspections/ChecklistsPage.tsx'));
const ChecklistPage = lazy(() => import('../features/inspections/ChecklistPage.tsx'));
const ChecklistEditor = lazy(() => import('../features/inspections/ChecklistEditor.tsx'));
const TaskBooksPage = lazy(() => import('../features/inspections/TaskBooksPage.tsx'));
const TaskBookPage = lazy(() => import('../features/inspections/TaskBookPage.tsx'));
const AccountabilityPage = lazy(() => import('../features/inspections/AccountabilityPage.tsx'));
const PortalLayout = lazy(() => import('../features/portal/PortalLayout.tsx'));
const PortalHome = lazy(() => import('../features/portal/PortalHome.tsx'));
// antd's Result draws its pictures inline: the login page and the portal need them only when something failed.
const Result = lazy(() => import('antd/es/result/index.js'));
const ErrorResult = lazy(() =>
  import('../components/ErrorResult.tsx').then((module) => ({ default: module.ErrorResult })),
);

// The console's frame (menu, bell) and every page below load on demand: the login page and the portal do not
// carry the console's code, and the map and chart libraries come only with the pages that show them.
const loadAppLayout = () => import('./AppLayout.tsx');
const AppLayout = lazy(() => loadAppLayout().then((module) => ({ default: module.AppLayout })));
const PortalReportPage = lazy(() => import('../features/portal/ReportPage.tsx'));
const PortalTicketPage = lazy(() => import('../features/portal/TicketPage.tsx'));
const PublicRegistrationPage = lazy(() => import('../features/registrations/PublicRegistrationPage.tsx'));
const RegistrationsPage = lazy(() => import('../features/registrations/RegistrationsPage.tsx'));

/** Sends the user to the login page whenever the server answers 401 to an ordinary call. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.setQueryData(sessionKey, null);
      void message.warning({ content: t('auth.sessionExpired'), key: 'session-expired' });
      navigate('/login', { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, queryClient, message, t]);
  return null;
}

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  // Fetch the console's frame while the session is asked for, not after (the browser loads a module once).
  useEffect(() => {
    void loadAppLayout();
  }, []);
  if (session.isPending) return <PageSpinner />;
  if (session.isError) {
    return (
      <Suspense fallback={<PageSpinner />}>
        <ErrorResult error={session.error} onRetry={() => void session.refetch()} />
      </Suspense>
    );
  }
  if (!session.data)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/**
 * The registry's writers, read from its policy table on first use: the login page and the portal need not
 * download the table to learn who may open a console page.
 */
function rolesFrom(load: () => Promise<readonly Role[]>): () => Promise<readonly Role[]> {
  let roles: Promise<readonly Role[]> | undefined;
  return () => {
    roles ??= load();
    return roles;
  };
}

const REGISTRY_WRITER_ROLES = rolesFrom(() =>
  import('../features/registry/policy.ts').then((module) => module.REGISTRY_WRITER_ROLES),
);

type Roles = readonly Role[] | (() => Promise<readonly Role[]>);

function RequireRole({ roles, children }: { roles: Roles; children: ReactNode }) {
  if (typeof roles !== 'function') return <RoleCheck roles={roles}>{children}</RoleCheck>;
  return (
    <Suspense fallback={<PageSpinner />}>
      <LoadedRoleCheck roles={roles}>{children}</LoadedRoleCheck>
    </Suspense>
  );
}

function LoadedRoleCheck({
  roles,
  children,
}: {
  roles: () => Promise<readonly Role[]>;
  children: ReactNode;
}) {
  return <RoleCheck roles={use(roles())}>{children}</RoleCheck>;
}

function RoleCheck({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const session = useSession();
  const { t } = useTranslation();
  if (!session.data || !roles.includes(session.data.user.role)) {
    return (
      <Suspense fallback={<PageSpinner />}>
        <Result status="403" title={t('errors.forbiddenTitle')} />
      </Suspense>
    );
  }
  return children;
}

/**
 * Where `/` leads: my work (工作台); grid workers, inspectors and party members on a phone-width screen start in
 * the field view.
 */
function Home() {
  const role = useSession().data?.user.role;
  const phone = window.matchMedia('(max-width: 767px)').matches;
  const field = phone && (role === 'gridWorker' || role === 'inspector' || role === 'partyMember');
  // A volunteer's account has only their tasks, in the field view, whatever the screen.
  if (role === 'volunteer') return <Navigate to="/field?tab=volunteer" replace />;
  return <Navigate to={field ? '/field' : '/work'} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<PageSpinner />}>
      <Result status="404" title={t('errors.notFoundTitle')} subTitle={t('errors.pageNotFound')} />
    </Suspense>
  );
}

export function AppRoutes() {
  return (
    <>
      <UnauthorizedRedirect />
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* Outside the console layout and its session guard: the field view has its own and opens offline. Its
            case pages (/field/cases/:id) are its own too, so a grid worker never lands in the desktop console. */}
        <Route
          path="/field/*"
          element={
            <Suspense fallback={<PageSpinner />}>
              <FieldPage />
            </Suspense>
          }
        />
        {/* 大屏: the dashboard alone on a wall display, outside the console frame. */}
        <Route
          path="/dashboard/wall"
          element={
            <RequireSession>
              <RequireRole roles={INDICATOR_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <DashboardPage wall />
                </Suspense>
              </RequireRole>
            </RequireSession>
          }
        />
        {/* The resident portal: public, no login, its own phone-first frame. */}
        <Route
          path="/public"
          element={
            <Suspense fallback={<PageSpinner />}>
              <PortalLayout />
            </Suspense>
          }
        >
          <Route index element={<PortalHome />} />
          <Route path="report" element={<PortalReportPage />} />
          <Route path="tickets/:ticketNo" element={<PortalTicketPage />} />
          <Route path="registration" element={<PublicRegistrationPage />} />
        </Route>
        <Route
          element={
            <RequireSession>
              <Suspense fallback={<PageSpinner />}>
                <AppLayout />
              </Suspense>
            </RequireSession>
          }
        >
          <Route index element={<Home />} />
          <Route
            path="work"
            element={
              <Suspense fallback={<PageSpinner />}>
                <WorkPage />
              </Suspense>
            }
          />
          <Route
            path="territory"
            element={
              <Suspense fallback={<PageSpinner />}>
                <TerritoryPage />
              </Suspense>
            }
          />
          <Route
            path="territory/regions/:code"
            element={
              <Suspense fallback={<PageSpinner />}>
                <RegionPage />
              </Suspense>
            }
          />
          <Route
            path="cases"
            element={
              <Suspense fallback={<PageSpinner />}>
                <CasesPage />
              </Suspense>
            }
          />
          <Route
            path="cases/new"
            element={
              <Suspense fallback={<PageSpinner />}>
                <ReportCasePage />
              </Suspense>
            }
          />
          <Route
            path="cases/hotline-import"
            element={
              <RequireRole roles={HOTLINE_IMPORT_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <HotlineImportPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="cases/:id"
            element={
              <Suspense fallback={<PageSpinner />}>
                <CasePage />
              </Suspense>
            }
          />
          <Route
            path="registry"
            element={
              <Suspense fallback={<PageSpinner />}>
                <RegistryLayout />
              </Suspense>
            }
          >
            <Route
              path="search"
              element={
                <Suspense fallback={<PageSpinner />}>
                  <RegistrySearchPage />
                </Suspense>
              }
            />
            <Route
              path="coverage"
              element={
                <Suspense fallback={<PageSpinner />}>
                  <RegistryCoveragePage />
                </Suspense>
              }
            />
            <Route
              path="import"
              element={
                <RequireRole roles={REGISTRY_WRITER_ROLES}>
                  <Suspense fallback={<PageSpinner />}>
                    <RegistryImportPage />
                  </Suspense>
                </RequireRole>
              }
            />
            <Route
              path="personal-data-log"
              element={
                <RequireRole roles={['administrator']}>
                  <Suspense fallback={<PageSpinner />}>
                    <PersonalDataLogPage />
                  </Suspense>
                </RequireRole>
              }
            />
            <Route
              path=":type/:id?"
              element={
                <Suspense fallback={<PageSpinner />}>
                  <RegistryListPage />
                </Suspense>
              }
            />
          </Route>
          {(
            [
              ['ranking', <RankingPage key="ranking" />],
              ['dashboard', <DashboardPage key="dashboard" />],
              ['bulletins', <BulletinsPage key="bulletins" />],
              ['bulletins/:id', <BulletinPage key="bulletin" />],
            ] as const
          ).map(([path, page]) => (
            <Route
              key={path}
              path={path}
              element={
                <RequireRole roles={INDICATOR_READER_ROLES}>
                  <Suspense fallback={<PageSpinner />}>{page}</Suspense>
                </RequireRole>
              }
            />
          ))}
          <Route
            path="indicators"
            element={
              <RequireRole roles={INDICATOR_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <IndicatorsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="patrols"
            element={
              <RequireRole roles={PATROL_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <PatrolsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="forms"
            element={
              <RequireRole roles={FORM_AUTHOR_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <FormsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="forms/:id"
            element={
              <RequireRole roles={FORM_AUTHOR_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <FormBuilderPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="household-visits"
            element={
              <RequireRole roles={VISIT_CAMPAIGN_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <HouseholdVisitsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="checkpoints"
            element={
              <RequireRole roles={CHECKPOINT_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <CheckpointsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="mediation"
            element={
              <RequireRole roles={MEDIATION_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <MediationPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="party"
            element={
              <RequireRole roles={PARTY_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <PartyPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="volunteers"
            element={
              <RequireRole roles={VOLUNTEER_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <VolunteersPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="registrations"
            element={
              <RequireRole roles={REGISTRATION_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <RegistrationsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="inspections"
            element={
              <RequireRole roles={INSPECTIONS_READER_ROLES}>
                <Suspense fallback={<PageSpinner />}>
                  <InspectionsLayout />
                </Suspense>
              </RequireRole>
            }
          >
            {(
              [
                ['campaigns', <CampaignsPage key="campaigns" />],
                ['campaigns/new', <CampaignWizard key="wizard" />],
                ['campaigns/:id', <CampaignPage key="campaign" />],
                ['visits/:id', <VisitPage key="visit" />],
                ['checklists', <ChecklistsPage key="checklists" />],
                ['checklists/new', <ChecklistEditor key="new-checklist" />],
                ['checklists/:id', <ChecklistPage key="checklist" />],
                ['checklists/:id/edit', <ChecklistEditor key="edit-checklist" />],
                ['task-books', <TaskBooksPage key="task-books" />],
                ['task-books/:id', <TaskBookPage key="task-book" />],
                ['accountability', <AccountabilityPage key="accountability" />],
              ] as const
            ).map(([path, page]) => (
              <Route
                key={path}
                path={path}
                element={<Suspense fallback={<PageSpinner />}>{page}</Suspense>}
              />
            ))}
          </Route>
          <Route
            path="admin/users"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <UsersPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/departments"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <DepartmentsPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/categories"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <CategoriesPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/routing"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <RoutingRulesPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/calendar"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <CalendarPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/basemap"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <BasemapPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/webhooks"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <WebhooksPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route
            path="admin/open311"
            element={
              <RequireRole roles={['administrator']}>
                <Suspense fallback={<PageSpinner />}>
                  <ApiKeysPage />
                </Suspense>
              </RequireRole>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </>
  );
}
