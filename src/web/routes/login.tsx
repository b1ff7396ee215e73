import { useNavigate } from 'react-router';
import { AuthLayout } from '../components/layouts/auth-layout.js';
import { TextLink } from '../components/ui/text-link.js';
import { LoginForm } from '../features/auth/components/login-form.js';

export function LoginRoute() {
  const navigate = useNavigate();

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Manage the voice agents, groups and routing rules of your Cloudonix domain."
      footer={
        <>
          New here? <TextLink to="/register">Create a tenant</TextLink>
        </>
      }
    >
      <LoginForm onSuccess={() => void navigate('/', { replace: true })} />
    </AuthLayout>
  );
}
