// Providers and routes. Deep links work: every screen has its own URL.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Outlet, RouterProvider, type RouteObject } from 'react-router';
import { isApiError } from './api/problem';
import { AuthProvider } from './auth/AuthContext';
import { Layout } from './components/Layout';
import { RequireAuth } from './components/RequireAuth';
import { NotificationsPage } from './features/notifications/NotificationsPage';
import { LoginPage } from './features/auth/LoginPage';
import { OrganizationFormPage } from './features/admin/OrganizationFormPage';
import { OrganizationsPage } from './features/admin/OrganizationsPage';
import { UserFormPage } from './features/admin/UserFormPage';
import { UsersPage } from './features/admin/UsersPage';
import { IntegrationClientFormPage } from './features/integrations/IntegrationClientFormPage';
import { IntegrationClientsPage } from './features/integrations/IntegrationClientsPage';
import { WebhookDeliveriesPage } from './features/integrations/WebhookDeliveriesPage';
import { WebhookFormPage } from './features/integrations/WebhookFormPage';
import { WebhooksPage } from './features/integrations/WebhooksPage';
import { CaseWorkspacePage } from './features/cases/CaseWorkspacePage';
import { CasesPage } from './features/cases/CasesPage';
import { CataloguePage } from './features/catalogue/CataloguePage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { MeetingBoardPage } from './features/meetings/MeetingBoardPage';
import { MeetingsPage } from './features/meetings/MeetingsPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { PersonEditPage } from './features/persons/PersonEditPage';
import { NewReferralPage } from './features/referrals/NewReferralPage';
import { ReferralDetailPage } from './features/referrals/ReferralDetailPage';
import { ReferralsPage } from './features/referrals/ReferralsPage';
import { HomeRedirect } from './features/common/HomeRedirect';
import { PERSON_EDITORS, WEBHOOK_MANAGERS } from './auth/roles';
import { NotFoundPage } from './features/common/NotFoundPage';

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
      {
        element: <RequireAuth><Outlet /></RequireAuth>,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: '/referrals', element: <RequireAuth roles={['referrer', 'coordinator']}><ReferralsPage /></RequireAuth> },
          { path: '/referrals/new', element: <RequireAuth roles={['referrer']}><NewReferralPage /></RequireAuth> },
          { path: '/referrals/:id', element: <RequireAuth roles={['referrer', 'coordinator']}><ReferralDetailPage /></RequireAuth> },
          { path: '/dashboard', element: <RequireAuth roles={['coordinator']}><DashboardPage /></RequireAuth> },
          { path: '/meetings', element: <RequireAuth roles={['coordinator']}><MeetingsPage /></RequireAuth> },
          { path: '/meetings/:id', element: <RequireAuth roles={['coordinator']}><MeetingBoardPage /></RequireAuth> },
          { path: '/cases', element: <RequireAuth roles={['coordinator', 'agency_operator']}><CasesPage /></RequireAuth> },
          { path: '/cases/:id', element: <RequireAuth roles={['coordinator', 'agency_operator']}><CaseWorkspacePage /></RequireAuth> },
          {
            path: '/persons/:id/edit',
            element: <RequireAuth roles={PERSON_EDITORS}><PersonEditPage /></RequireAuth>,
          },
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
