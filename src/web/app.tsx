import { QueryClientProvider } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { createBrowserRouter, redirect, RouterProvider } from 'react-router';
import { Spinner } from './components/ui/spinner.js';
import { getToken, hasSignedInBefore } from './lib/auth-store.js';
import { queryClient } from './lib/query-client.js';
import { NotFoundRoute } from './routes/app/not-found.js';
import { RouteError } from './routes/route-error.js';

/** Sign-in pages are for signed-out visitors; a signed-in one goes to the dashboard. */
function redirectIfSignedIn() {
  return getToken() ? redirect('/') : null;
}

/** Signed-out visitors sign in; on a browser that never signed in (a first run) they start by registering. */
function requireToken() {
  if (getToken()) return null;
  return redirect(hasSignedInBefore() ? '/login' : '/register');
}

/** A page loaded on demand: each is its own chunk, so charts and drag-and-drop load only where used. */
function page(load: () => Promise<ComponentType>) {
  return { lazy: async () => ({ Component: await load() }) };
}

const router = createBrowserRouter([
  {
    HydrateFallback: () => <Spinner fullPage />,
    ErrorBoundary: RouteError,
    children: [
      { path: '/login', loader: redirectIfSignedIn, ...page(async () => (await import('./routes/login.js')).LoginRoute) },
      { path: '/register', loader: redirectIfSignedIn, ...page(async () => (await import('./routes/register.js')).RegisterRoute) },
      { path: '/forgot-password', loader: redirectIfSignedIn, ...page(async () => (await import('./routes/forgot-password.js')).ForgotPasswordRoute) },
      // Opened from an email, possibly in a browser where someone else is signed in: the link decides, not the stored token.
      { path: '/reset-password', ...page(async () => (await import('./routes/reset-password.js')).ResetPasswordRoute) },
      { path: '/accept-invitation', ...page(async () => (await import('./routes/accept-invitation.js')).AcceptInvitationRoute) },
      {
        path: '/',
        loader: requireToken,
        ...page(async () => (await import('./routes/app/root.js')).AppRoot),
        children: [
          { index: true, ...page(async () => (await import('./routes/app/dashboard.js')).DashboardRoute) },
          { path: 'live-calls', ...page(async () => (await import('./routes/app/live-calls.js')).LiveCallsRoute) },
          { path: 'call-records', ...page(async () => (await import('./routes/app/call-records.js')).CallRecordsRoute) },
          { path: 'alerts', ...page(async () => (await import('./routes/app/alerts.js')).AlertsRoute) },
          { path: 'agents', ...page(async () => (await import('./routes/app/agents.js')).AgentsRoute) },
          { path: 'groups', ...page(async () => (await import('./routes/app/groups.js')).GroupsRoute) },
          { path: 'groups/:id', ...page(async () => (await import('./routes/app/group-detail.js')).GroupDetailRoute) },
          { path: 'pools', ...page(async () => (await import('./routes/app/pools.js')).PoolsRoute) },
          { path: 'rules', ...page(async () => (await import('./routes/app/rules.js')).RulesRoute) },
          { path: 'exports', ...page(async () => (await import('./routes/app/exports.js')).ExportsRoute) },
          { path: 'audit', ...page(async () => (await import('./routes/app/audit.js')).AuditRoute) },
          { path: 'users', ...page(async () => (await import('./routes/app/users.js')).UsersRoute) },
          { path: 'settings', ...page(async () => (await import('./routes/app/settings.js')).SettingsRoute) },
          { path: 'account', ...page(async () => (await import('./routes/app/account.js')).AccountRoute) },
          { path: '*', Component: NotFoundRoute },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
