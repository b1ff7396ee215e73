import { useNavigate } from 'react-router';
import { AuthLayout } from '../components/layouts/auth-layout.js';
import { TextLink } from '../components/ui/text-link.js';
import { useSignupPolicy } from '../features/auth/api/get-signup-policy.js';
import { LoginForm } from '../features/auth/components/login-form.js';

export function LoginRoute() {
  const navigate = useNavigate();
  const open = useSignupPolicy().data?.registration_open;

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Manage the voice agents, groups and routing rules of your Cloudonix domain."
      footer={
        <span className="flex flex-col gap-2">
          <span>
            <TextLink to="/forgot-password">Forgot your password?</TextLink>
          </span>
          {open !== false && (
            <span>
              New here? <TextLink to="/register">Create a tenant</TextLink>
            </span>
          )}
        </span>
      }
    >
      <LoginForm onSuccess={() => void navigate('/', { replace: true })} />
    </AuthLayout>
  );
}
