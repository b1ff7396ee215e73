import { useNavigate } from 'react-router';
import { AuthLayout } from '../components/layouts/auth-layout.js';
import { Spinner } from '../components/ui/spinner.js';
import { TextLink } from '../components/ui/text-link.js';
import { useSignupPolicy } from '../features/auth/api/get-signup-policy.js';
import { RegisterForm } from '../features/auth/components/register-form.js';

export function RegisterRoute() {
  const navigate = useNavigate();
  const policy = useSignupPolicy();
  // Unknown policy (an older server, a network error): offer the form, the server still decides.
  const closed = policy.data?.registration_open === false;

  return (
    <AuthLayout
      wide={!closed}
      title={closed ? 'Registration is closed' : 'Create a tenant'}
      subtitle={
        closed
          ? policy.data?.signup === 'closed'
            ? 'Tenants on this installation are created by its operator.'
            : 'This installation already has its tenant; new ones are created by its operator.'
          : 'One tenant routes the calls of one Cloudonix domain. You will be its first admin.'
      }
      footer={
        <>
          Already have an account? <TextLink to="/login">Sign in</TextLink>
        </>
      }
    >
      {policy.isPending ? (
        <Spinner />
      ) : closed ? (
        <div className="space-y-3 text-sm text-slate-700">
          <p>To join a tenant that already exists, ask one of its admins for an invitation: the email it sends lets you set your password.</p>
          <p>For a tenant of your own, ask the operator of this installation (they run <code className="rounded bg-slate-100 px-1">voice-lb create-tenant</code>).</p>
        </div>
      ) : (
        <RegisterForm onSuccess={() => void navigate('/', { replace: true })} />
      )}
    </AuthLayout>
  );
}
