import { useNavigate } from 'react-router';
import { AuthLayout } from '../components/layouts/auth-layout.js';
import { TextLink } from '../components/ui/text-link.js';
import { RegisterForm } from '../features/auth/components/register-form.js';

export function RegisterRoute() {
  const navigate = useNavigate();

  return (
    <AuthLayout
      wide
      title="Create a tenant"
      subtitle="One tenant routes the calls of one Cloudonix domain. You will be its first admin."
      footer={
        <>
          Already have an account? <TextLink to="/login">Sign in</TextLink>
        </>
      }
    >
      <RegisterForm onSuccess={() => void navigate('/', { replace: true })} />
    </AuthLayout>
  );
}
