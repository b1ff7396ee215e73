import { Plus, UserPlus } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/ui/button.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { TextLink } from '../../components/ui/text-link.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { useInvitations } from '../../features/users/api/get-invitations.js';
import { useUsers } from '../../features/users/api/get-users.js';
import { CreateUserDialog } from '../../features/users/components/create-user-form.js';
import { InvitationsList } from '../../features/users/components/invitations-list.js';
import { InviteUserDialog } from '../../features/users/components/invite-user-form.js';
import { UsersTable } from '../../features/users/components/users-table.js';

export function UsersRoute() {
  const me = useMe().data;
  const isAdmin = me?.role === 'admin';
  const users = useUsers(1, isAdmin);
  const invitations = useInvitations(isAdmin);
  const [adding, setAdding] = useState(false);
  const [inviting, setInviting] = useState(false);

  if (!isAdmin) {
    return (
      <>
        <PageHeader title="Users" description="Only admins manage the people of a tenant." />
        <TextLink to="/">Back to the dashboard</TextLink>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Users"
        description="The people who can sign in to this tenant. Deactivating someone signs them out everywhere at once."
        actions={
          <>
            <Button variant="secondary" onClick={() => setAdding(true)} icon={<Plus className="size-4" aria-hidden="true" />}>
              Add user
            </Button>
            <Button onClick={() => setInviting(true)} icon={<UserPlus className="size-4" aria-hidden="true" />}>
              Invite user
            </Button>
          </>
        }
      />
      {users.data ? <UsersTable users={users.data.data} currentUserId={me.id} /> : <QueryStatus query={users} label="users" />}
      {invitations.data && <InvitationsList invitations={invitations.data.data} />}
      {adding && <CreateUserDialog onClose={() => setAdding(false)} />}
      {inviting && <InviteUserDialog onClose={() => setInviting(false)} />}
    </>
  );
}
