import { Badge } from '../../../components/ui/badge.js';
import { Switch } from '../../../components/ui/switch.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDateTime } from '../../../lib/format.js';
import type { User } from '../api/get-users.js';
import { useUpdateUser } from '../api/update-user.js';
import { ForceResetButton } from './force-reset-button.js';

/** The tenant's people: change a role inline, switch an account off (it is signed out everywhere), force a password reset. */
export function UsersTable({ users, currentUserId }: { users: readonly User[]; currentUserId: number }) {
  const update = useUpdateUser();
  return (
    <>
      {update.error && (
        <p role="alert" className="mb-3 text-sm text-red-700">
          {update.error.message}
        </p>
      )}
      <Table caption="Users">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Role</Th>
            <Th>Last sign-in</Th>
            <Th>Active</Th>
            <Th>
              <span className="sr-only">Password</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((u) => {
            const self = u.id === currentUserId;
            return (
              <tr key={u.id} className={u.active ? '' : 'bg-slate-50 text-slate-500'}>
                <Td>
                  <p className="font-medium text-slate-900">
                    {u.name} {self && <Badge tone="indigo">You</Badge>}
                  </p>
                  <p className="text-xs text-slate-600">{u.email}</p>
                </Td>
                <Td>
                  {self ? (
                    <span className="capitalize">{u.role}</span>
                  ) : (
                    <select
                      aria-label={`Role of ${u.name}`}
                      value={u.role}
                      onChange={(e) => update.mutate({ id: u.id, input: { role: e.target.value === 'admin' ? 'admin' : 'analyst' } })}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:outline-2 focus:-outline-offset-1 focus:outline-indigo-600"
                    >
                      <option value="admin">Admin</option>
                      <option value="analyst">Analyst</option>
                    </select>
                  )}
                </Td>
                <Td className="whitespace-nowrap">{u.last_login_at ? formatDateTime(u.last_login_at) : 'Never'}</Td>
                <Td>
                  {self ? (
                    <Badge tone="green">Active</Badge>
                  ) : (
                    <Switch checked={u.active} label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.name}`} onChange={(active) => update.mutate({ id: u.id, input: { active } })} />
                  )}
                </Td>
                <Td className="text-right">{!self && u.active && <ForceResetButton user={u} />}</Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </>
  );
}
