// Providers and routes. Deep links work: every screen has its own URL.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter, Outlet, RouterProvider, type RouteObject } from 'react-router';
import { isApiError } from './api/problem';
import { AuthProvider } from './auth/AuthContext';
import { Layout } from './components/Layout';
import { RequireAuth } from './components/RequireAuth';
import { LoginPage } from './features/auth/LoginPage';
import { HomeRedirect } from './features/common/HomeRedirect';
import { OPPORTUNITY_READERS, PERSON_EDITORS, PLAN_MANAGERS, PLAN_READERS, WEBHOOK_MANAGERS } from './auth/roles';
import { NotFoundPage } from './features/common/NotFoundPage';
import { Loading } from './components/States';
import { loadAllMessages } from './i18n';

// Each screen is its own chunk, fetched when first shown with the Italian messages beyond the
// first load's (i18n/core.ts): the sign-in page (and the redirect to a role's home) stays in the
// first load; the rest waits behind <Suspense>.
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const Lazy = lazy(async (): Promise<{ default: ComponentType }> => {
    const [module] = await Promise.all([load(), loadAllMessages()]);
    return { default: module[name] };
  });
  return function LazyPage() {
    return (
      <Suspense fallback={<Loading />}>
        <Lazy />
      </Suspense>
    );
  };
}

const OrganizationFormPage = page(() => import('./features/admin/OrganizationFormPage'), 'OrganizationFormPage');
const OrganizationsPage = page(() => import('./features/admin/OrganizationsPage'), 'OrganizationsPage');
const UserFormPage = page(() => import('./features/admin/UserFormPage'), 'UserFormPage');
const UsersPage = page(() => import('./features/admin/UsersPage'), 'UsersPage');
const IntegrationClientFormPage = page(() => import('./features/integrations/IntegrationClientFormPage'), 'IntegrationClientFormPage');
const IntegrationClientsPage = page(() => import('./features/integrations/IntegrationClientsPage'), 'IntegrationClientsPage');
const WebhookDeliveriesPage = page(() => import('./features/integrations/WebhookDeliveriesPage'), 'WebhookDeliveriesPage');
const WebhookFormPage = page(() => import('./features/integrations/WebhookFormPage'), 'WebhookFormPage');
const WebhooksPage = page(() => import('./features/integrations/WebhooksPage'), 'WebhooksPage');
const CaseWorkspacePage = page(() => import('./features/cases/CaseWorkspacePage'), 'CaseWorkspacePage');
const CasesPage = page(() => import('./features/cases/CasesPage'), 'CasesPage');
const CataloguePage = page(() => import('./features/catalogue/CataloguePage'), 'CataloguePage');
const AgencyHomePage = page(() => import('./features/dashboard/AgencyHomePage'), 'AgencyHomePage');
const DashboardPage = page(() => import('./features/dashboard/DashboardPage'), 'DashboardPage');
const MeetingBoardPage = page(() => import('./features/meetings/MeetingBoardPage'), 'MeetingBoardPage');
const MeetingsPage = page(() => import('./features/meetings/MeetingsPage'), 'MeetingsPage');
const OverviewPage = page(() => import('./features/overview/OverviewPage'), 'OverviewPage');
const PersonEditPage = page(() => import('./features/persons/PersonEditPage'), 'PersonEditPage');
const NewReferralPage = page(() => import('./features/referrals/NewReferralPage'), 'NewReferralPage');
const ReferralDetailPage = page(() => import('./features/referrals/ReferralDetailPage'), 'ReferralDetailPage');
const ReferralsPage = page(() => import('./features/referrals/ReferralsPage'), 'ReferralsPage');
const SearchPage = page(() => import('./features/persons/SearchPage'), 'SearchPage');
const NetworksPage = page(() => import('./features/networks/NetworksPage'), 'NetworksPage');
const NetworkPage = page(() => import('./features/networks/NetworkPage'), 'NetworkPage');
const NetworkFormPage = page(() => import('./features/networks/NetworkFormPage'), 'NetworkFormPage');
const NetworkMeetingPage = page(() => import('./features/networks/NetworkMeetingPage'), 'NetworkMeetingPage');
const JoinNetworksPage = page(() => import('./features/join/JoinPages'), 'JoinNetworksPage');
const JoinRequestPage = page(() => import('./features/join/JoinPages'), 'JoinRequestPage');
const PlansPage = page(() => import('./features/plans/PlansPage'), 'PlansPage');
const PlanPage = page(() => import('./features/plans/PlanPage'), 'PlanPage');
const ProjectsPage = page(() => import('./features/projects/ProjectsPage'), 'ProjectsPage');
const ProjectPage = page(() => import('./features/projects/ProjectPage'), 'ProjectPage');
const ProjectFormPage = page(() => import('./features/projects/ProjectFormPage'), 'ProjectFormPage');
const OpportunitiesPage = page(() => import('./features/opportunities/OpportunitiesPage'), 'OpportunitiesPage');
const OpportunityPage = page(() => import('./features/opportunities/OpportunityPage'), 'OpportunityPage');
const OpportunityFormPage = page(() => import('./features/opportunities/OpportunityFormPage'), 'OpportunityFormPage');
const OpportunityEditPage = page(() => import('./features/opportunities/OpportunityFormPage'), 'OpportunityEditPage');
const PublicOpportunitiesPage = page(() => import('./features/opportunities/PublicOpportunityPages'), 'PublicOpportunitiesPage');
const PublicOpportunityPage = page(() => import('./features/opportunities/PublicOpportunityPages'), 'PublicOpportunityPage');
const PrivacyPage = page(() => import('./features/privacy/PrivacyPage'), 'PrivacyPage');
const AuditPage = page(() => import('./features/privacy/PrivacyPage'), 'AuditPage');
const RegisterPage = page(() => import('./features/privacy/RegisterPage'), 'RegisterPage');
const BreachesPage = page(() => import('./features/privacy/BreachesPage'), 'BreachesPage');
const NotificationsPage = page(() => import('./features/notifications/NotificationsPage'), 'NotificationsPage');

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Client errors (404 not visible, 403…) will not get better by retrying.
        retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/login', element: <LoginPage /> },
      // Public, no sign-in: the networks that accept requests to join, and the request.
      { path: '/partecipa', element: <JoinNetworksPage /> },
      { path: '/partecipa/:id', element: <JoinRequestPage /> },
      // Public, no sign-in: the territory's opportunities (the RSS feed links to their pages).
      { path: '/opportunita', element: <PublicOpportunitiesPage /> },
      { path: '/opportunita/:id', element: <PublicOpportunityPage /> },
      {
        element: <RequireAuth><Outlet /></RequireAuth>,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: '/referrals', element: <RequireAuth roles={['referrer', 'coordinator']}><ReferralsPage /></RequireAuth> },
          { path: '/referrals/new', element: <RequireAuth roles={['referrer', 'coordinator']}><NewReferralPage /></RequireAuth> },
          { path: '/referrals/:id', element: <RequireAuth roles={['referrer', 'coordinator']}><ReferralDetailPage /></RequireAuth> },
          { path: '/dashboard', element: <RequireAuth roles={['coordinator']}><DashboardPage /></RequireAuth> },
          { path: '/meetings', element: <RequireAuth roles={['coordinator']}><MeetingsPage /></RequireAuth> },
          { path: '/meetings/:id', element: <RequireAuth roles={['coordinator']}><MeetingBoardPage /></RequireAuth> },
          { path: '/agency', element: <RequireAuth roles={['agency_operator']}><AgencyHomePage /></RequireAuth> },
          { path: '/cases', element: <RequireAuth roles={['coordinator', 'agency_operator']}><CasesPage /></RequireAuth> },
          { path: '/cases/:id', element: <RequireAuth roles={['coordinator', 'agency_operator']}><CaseWorkspacePage /></RequireAuth> },
          {
            path: '/persons/:id/edit',
            // The DPO reads the record (no edit) to handle the person's requests.
            element: <RequireAuth roles={[...PERSON_EDITORS, 'privacy_officer']}><PersonEditPage /></RequireAuth>,
          },
          { path: '/search', element: <RequireAuth roles={['referrer', 'coordinator', 'agency_operator']}><SearchPage /></RequireAuth> },
          { path: '/catalogue', element: <RequireAuth roles={['coordinator']}><CataloguePage /></RequireAuth> },
          {
            path: '/admin',
            element: <RequireAuth roles={['admin']}><Outlet /></RequireAuth>,
            children: [
              { path: 'organizations', element: <OrganizationsPage /> },
              { path: 'organizations/new', element: <OrganizationFormPage /> },
              { path: 'organizations/:id', element: <OrganizationFormPage key="edit" /> },
              { path: 'users', element: <UsersPage /> },
              { path: 'users/new', element: <UserFormPage /> },
              { path: 'users/:id', element: <UserFormPage key="edit" /> },
              { path: 'integrations', element: <IntegrationClientsPage /> },
              { path: 'integrations/new', element: <IntegrationClientFormPage /> },
            ],
          },
          {
            path: '/webhooks',
            element: <RequireAuth roles={WEBHOOK_MANAGERS}><Outlet /></RequireAuth>,
            children: [
              { index: true, element: <WebhooksPage /> },
              { path: 'new', element: <WebhookFormPage /> },
              { path: ':id', element: <WebhookDeliveriesPage /> },
            ],
          },
          { path: '/networks', element: <RequireAuth roles={['coordinator', 'network_coordinator', 'agency_operator', 'referrer', 'observer']}><NetworksPage /></RequireAuth> },
          { path: '/networks/new', element: <RequireAuth roles={['coordinator', 'network_coordinator']}><NetworkFormPage /></RequireAuth> },
          { path: '/networks/:id', element: <RequireAuth roles={['coordinator', 'network_coordinator', 'agency_operator', 'referrer', 'observer']}><NetworkPage /></RequireAuth> },
          {
            path: '/networks/:id/meetings/:meetingId',
            element: <RequireAuth roles={['coordinator', 'network_coordinator']}><NetworkMeetingPage /></RequireAuth>,
          },
          {
            path: '/networks/:id/edit',
            element: <RequireAuth roles={['coordinator', 'network_coordinator']}><NetworkFormPage key="edit" /></RequireAuth>,
          },
          { path: '/plans', element: <RequireAuth roles={PLAN_READERS}><PlansPage /></RequireAuth> },
          { path: '/plans/:id', element: <RequireAuth roles={PLAN_READERS}><PlanPage /></RequireAuth> },
          { path: '/projects', element: <RequireAuth roles={PLAN_READERS}><ProjectsPage /></RequireAuth> },
          { path: '/projects/new', element: <RequireAuth roles={PLAN_MANAGERS}><ProjectFormPage /></RequireAuth> },
          { path: '/projects/:id', element: <RequireAuth roles={PLAN_READERS}><ProjectPage /></RequireAuth> },
          { path: '/opportunities', element: <RequireAuth roles={OPPORTUNITY_READERS}><OpportunitiesPage /></RequireAuth> },
          { path: '/opportunities/new', element: <RequireAuth roles={OPPORTUNITY_READERS}><OpportunityFormPage /></RequireAuth> },
          { path: '/opportunities/:id', element: <RequireAuth roles={OPPORTUNITY_READERS}><OpportunityPage /></RequireAuth> },
          { path: '/opportunities/:id/edit', element: <RequireAuth roles={OPPORTUNITY_READERS}><OpportunityEditPage key="edit" /></RequireAuth> },
          { path: '/privacy', element: <RequireAuth roles={['privacy_officer']}><PrivacyPage /></RequireAuth> },
          { path: '/audit', element: <RequireAuth roles={['coordinator']}><AuditPage /></RequireAuth> },
          { path: '/privacy/register', element: <RequireAuth roles={['privacy_officer', 'coordinator']}><RegisterPage /></RequireAuth> },
          { path: '/privacy/breaches', element: <RequireAuth roles={['privacy_officer', 'coordinator']}><BreachesPage /></RequireAuth> },
          { path: '/notifiche', element: <NotificationsPage /> },
          { path: '/overview', element: <RequireAuth roles={['observer']}><OverviewPage /></RequireAuth> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

const router = createBrowserRouter(routes);
const queryClient = makeQueryClient();

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>
  );
}
