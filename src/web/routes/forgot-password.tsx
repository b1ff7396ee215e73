import { AuthLayout } from '../components/layouts/auth-layout.js';
import { TextLink } from '../components/ui/text-link.js';
import { useSignupPolicy } from '../features/auth/api/get-signup-policy.js';
import { ForgotPasswordForm } from '../features/auth/components/forgot-password-form.js';

export function ForgotPasswordRoute() {
  const canEmail = useSignupPolicy().data?.password_reset_email;
  return (
    <AuthLayout
      title="Forgot your password?"
      subtitle="We email you a link to set a new one."
      footer={
        <>
          Remembered it? <TextLink to="/login">Sign in</TextLink>
        </>
      }
    >
      {canEmail === false ? (
        <p className="text-sm text-slate-700">
          This installation cannot send email. Ask an admin of your tenant to reset your password from the Users page, or its operator to run{' '}
          <code className="rounded bg-slate-100 px-1">voice-lb reset-password</code>.
        </p>
      ) : (
        <ForgotPasswordForm />
      )}
    </AuthLayout>
  );
}
