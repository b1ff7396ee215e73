import { PageHeader } from '../../components/ui/page-header.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { ChangePasswordForm } from '../../features/auth/components/change-password-form.js';
import { SettingsSection } from '../../features/settings/components/settings-section.js';

export function AccountRoute() {
  const me = useMe().data;
  return (
    <>
      <PageHeader title="My account" description={me ? `${me.name} · ${me.email}` : undefined} />
      <SettingsSection title="Password" description="Changing it signs out your other browsers and devices; this one stays signed in.">
        <ChangePasswordForm />
      </SettingsSection>
    </>
  );
}
