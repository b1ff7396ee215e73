import { useState } from 'react';
import { useNavigate } from 'react-router';
import { AuthLayout } from '../components/layouts/auth-layout.js';
import { TextLink } from '../components/ui/text-link.js';
import { ResetPasswordForm } from '../features/auth/components/reset-password-form.js';
import { linkToken } from '../lib/link-token.js';

export function ResetPasswordRoute() {
  const navigate = useNavigate();
  const [token] = useState(linkToken);
  return (
    <AuthLayout
      title="Set a new password"
      subtitle="Every other session of your account will be signed out."
      footer={
        <>
          Link expired? <TextLink to="/forgot-password">Ask for a new one</TextLink>
        </>
      }
    >
      {token ? (
        <ResetPasswordForm token={token} onSuccess={() => void navigate('/', { replace: true })} />
      ) : (
        <p className="text-sm text-slate-700">This page needs the link from your email: open it from there.</p>
      )}
    </AuthLayout>
  );
}
