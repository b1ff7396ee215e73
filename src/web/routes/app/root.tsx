import { Navigate, Outlet } from 'react-router';
import { AppShell } from '../../components/layouts/app-shell.js';
import { navItems } from '../../components/layouts/nav-items.js';
import { Alert } from '../../components/ui/alert.js';
import { Button } from '../../components/ui/button.js';
import { Spinner } from '../../components/ui/spinner.js';
import { useAlertCounts } from '../../features/alerts/api/get-alert-counts.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { TenantLabel } from '../../features/auth/components/tenant-label.js';
import { UserMenu } from '../../features/auth/components/user-menu.js';
import { ApiError } from '../../lib/api-client.js';
import { useToken } from '../../lib/auth-store.js';
import { useLiveEvents } from '../../lib/live-events.js';

/** Everything under `/` needs a signed-in user; losing the token (sign-out, 401) leads to /login. */
export function AppRoot() {
  const token = useToken();
  const me = useMe();
  const alertCounts = useAlertCounts(Boolean(token && me.data));
  useLiveEvents();

  if (!token) return <Navigate to="/login" replace />;
  if (me.data) {
    return (
      <AppShell
        items={navItems.filter((item) => !item.adminOnly || me.data.role === 'admin')}
        badges={{ '/alerts': alertCounts.data?.firing ?? 0 }}
        topBarStart={<TenantLabel tenant={me.data.tenant} />} topBarEnd={<UserMenu user={me.data} />}>
        <Outlet />
      </AppShell>
    );
  }
  // A 401 clears the token (query-client.ts), which redirects on the next render.
  if (me.isError && !(me.error instanceof ApiError && me.error.status === 401)) {
    return (
      <div className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-4">
        <Alert title="Could not load your account">{me.error.message}</Alert>
        <Button onClick={() => void me.refetch()} loading={me.isFetching}>
          Try again
        </Button>
      </div>
    );
  }
  return <Spinner fullPage label="Loading your workspace…" />;
}
