import { LogOut } from 'lucide-react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/ui/button.js';
import type { Me } from '../api/get-me.js';
import { useLogout } from '../api/logout.js';
import { RoleBadge } from './role-badge.js';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => (p ?? '').charAt(0).toUpperCase()).join('') || '?';
}

/** The signed-in user (name, role, tenant domain; the name opens My account) and the sign-out button. */
export function UserMenu({ user }: { user: Me }) {
  const navigate = useNavigate();
  const logout = useLogout({ onSettled: () => void navigate('/login', { replace: true }) });

  return (
    <div className="flex min-w-0 items-center gap-3">
      <div className="min-w-0 text-right">
        <p className="flex items-center justify-end gap-2 text-sm font-medium text-slate-900">
          <Link to="/account" className="truncate hover:underline" title="My account: change your password">
            {user.name}
          </Link>
          <RoleBadge role={user.role} />
        </p>
        {/* From xl up the tenant is shown at the left of the top bar (app-shell.tsx). */}
        <p className="truncate text-xs text-slate-500 xl:hidden">{user.tenant.domain}</p>
        <p className="hidden truncate text-xs text-slate-500 xl:block">{user.email}</p>
      </div>
      <span
        className="hidden size-9 shrink-0 items-center justify-center rounded-full sm:flex bg-indigo-100 text-sm font-semibold text-indigo-700"
        title={user.name}
        aria-hidden="true"
      >
        {initials(user.name)}
      </span>
      <Button
        variant="secondary"
        onClick={() => logout.mutate()}
        loading={logout.isPending}
        icon={<LogOut className="size-4" aria-hidden="true" />}
        aria-label="Sign out"
      >
        <span className="hidden sm:inline">Sign out</span>
      </Button>
    </div>
  );
}
