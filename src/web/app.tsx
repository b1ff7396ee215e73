import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, redirect, RouterProvider, type RouteObject } from 'react-router';
import { navItems } from './components/layouts/nav-items.js';
import { Spinner } from './components/ui/spinner.js';
import { getToken } from './lib/auth-store.js';
import { queryClient } from './lib/query-client.js';
import { ComingSoonRoute } from './routes/app/coming-soon.js';
import { NotFoundRoute } from './routes/app/not-found.js';
import { RouteError } from './routes/route-error.js';

/** Sign-in pages are for signed-out visitors; a signed-in one goes to the dashboard. */
function redirectIfSignedIn() {
  return getToken() ? redirect('/') : null;
}

function requireToken() {
  return getToken() ? null : redirect('/login');
}

// Sections that a later release fills in: every nav entry except the dashboard.
const placeholders: RouteObject[] = navItems
  .filter((item) => item.to !== '/')
  .map((item) => ({ path: item.to.slice(1), element: <ComingSoonRoute item={item} /> }));

// Pages are loaded on demand so the first download stays small.
const router = createBrowserRouter([
  {
    HydrateFallback: () => <Spinner fullPage />,
    ErrorBoundary: RouteError,
    children: [
      {
        path: '/login',
        loader: redirectIfSignedIn,
        lazy: async () => ({ Component: (await import('./routes/login.js')).LoginRoute }),
      },
      {
        path: '/register',
        loader: redirectIfSignedIn,
        lazy: async () => ({ Component: (await import('./routes/register.js')).RegisterRoute }),
      },
      {
        path: '/',
        loader: requireToken,
        lazy: async () => ({ Component: (await import('./routes/app/root.js')).AppRoot }),
        children: [
          { index: true, lazy: async () => ({ Component: (await import('./routes/app/dashboard.js')).DashboardRoute }) },
          ...placeholders,
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
