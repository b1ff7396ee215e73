import { useState } from 'react';
import { useNavigate } from 'react-router';
import { AuthLayout } from '../components/layouts/auth-layout.js';
import { Alert } from '../components/ui/alert.js';
import { Spinner } from '../components/ui/spinner.js';
import { TextLink } from '../components/ui/text-link.js';
import { useInvitation } from '../features/auth/api/accept-invitation.js';
import { AcceptInvitationForm } from '../features/auth/components/accept-invitation-form.js';
import { linkToken } from '../lib/link-token.js';

export function AcceptInvitationRoute() {
  const navigate = useNavigate();
  const [token] = useState(linkToken);
  const [accepted, setAccepted] = useState(false);
  const invitation = useInvitation(token, !accepted);
  return (
    <AuthLayout
      wide
      title={invitation.data ? `Join ${invitation.data.tenant_name}` : 'Accept an invitation'}
      subtitle="Choose the password you will sign in with."
      footer={
        <>
          Already have an account? <TextLink to="/login">Sign in</TextLink>
        </>
      }
    >
      {!token ? (
        <p className="text-sm text-slate-700">This page needs the link from your invitation email: open it from there.</p>
      ) : invitation.data ? (
        <AcceptInvitationForm token={token} invitation={invitation.data} onSuccess={() => {
            setAccepted(true);
            void navigate('/', { replace: true });
          }} />
      ) : invitation.error ? (
        <Alert title="This invitation cannot be used">{invitation.error.message}</Alert>
      ) : (
        <Spinner />
      )}
    </AuthLayout>
  );
}
