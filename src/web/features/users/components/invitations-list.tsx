import { Button } from '../../../components/ui/button.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import { formatDateTime } from '../../../lib/format.js';
import type { Invitation } from '../api/get-invitations.js';
import { useRevokeInvitation } from '../api/revoke-invitation.js';

/** Invitations not yet accepted: who, which role, until when; each can be revoked. */
export function InvitationsList({ invitations }: { invitations: readonly Invitation[] }) {
  const revoke = useRevokeInvitation();
  if (invitations.length === 0) return null;
  return (
    <section className="mt-8 space-y-3" aria-labelledby="pending-invitations">
      <h2 id="pending-invitations" className="text-base font-semibold text-slate-900">
        Pending invitations
      </h2>
      {revoke.error && (
        <p role="alert" className="text-sm text-red-700">
          {revoke.error.message}
        </p>
      )}
      <Table caption="Pending invitations">
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Expires</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {invitations.map((i) => (
            <tr key={i.id}>
              <Td>
                <p className="font-medium text-slate-900">{i.email}</p>
                {i.name && <p className="text-xs text-slate-600">{i.name}</p>}
              </Td>
              <Td className="capitalize">{i.role}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(i.expires_at)}</Td>
              <Td className="text-right">
                <Button variant="secondary" loading={revoke.isPending && revoke.variables === i.id} onClick={() => revoke.mutate(i.id)} aria-label={`Revoke the invitation of ${i.email}`}>
                  Revoke
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
