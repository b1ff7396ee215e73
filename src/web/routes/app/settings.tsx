import { PageHeader } from '../../components/ui/page-header.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { ReadOnlyNote } from '../../components/ui/read-only-note.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { AlertSettingsForm } from '../../features/alerts/components/alert-settings-form.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { CloudonixConnection } from '../../features/cloudonix/components/cloudonix-connection.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { useTenant } from '../../features/settings/api/get-tenant.js';
import { EraseNumberForm } from '../../features/settings/components/erase-number-form.js';
import { FallbackRouteForm } from '../../features/settings/components/fallback-route-form.js';
import { RoutingSettingsForm } from '../../features/settings/components/routing-settings-form.js';
import { SettingsSection } from '../../features/settings/components/settings-section.js';
import { TenantProfileForm } from '../../features/settings/components/tenant-profile-form.js';
import { WebhookSecurityForm } from '../../features/settings/components/webhook-security-form.js';
import { WebhookSetup } from '../../features/settings/components/webhook-setup.js';

export function SettingsRoute() {
  const canWrite = useCanWrite();
  // Refetched every minute: whether Cloudonix sends every webhook changes as time passes.
  const tenant = useTenant(60_000);
  const agents = useAllAgents();
  const groups = useAllGroups();
  const t = tenant.data;

  return (
    <>
      <PageHeader title="Settings" description="Your organisation, how calls are kept and routed when nothing else applies, and how Cloudonix reaches this service." />
      {!canWrite && <ReadOnlyNote what="the settings" />}
      {!t ? (
        <QueryStatus query={tenant} label="the settings" />
      ) : (
        <div>
          <SettingsSection
            title="Cloudonix connection"
            description={
              canWrite
                ? 'A domain API key lets this service set up your Cloudonix domain for you, check its wiring, place test calls and control live calls.'
                : 'Whether this service can act at your Cloudonix domain, and whether the domain is wired to it.'
            }
          >
            <CloudonixConnection canWrite={canWrite} />
          </SettingsSection>
          <SettingsSection
            title="Cloudonix webhooks"
            description={
              canWrite
                ? 'Paste these into your Cloudonix domain so it asks this service where to send each call and reports how calls go.'
                : 'Whether your Cloudonix domain sends this service every webhook it needs.'
            }
          >
            <WebhookSetup tenant={t} />
          </SettingsSection>
          <SettingsSection
            title="Webhook security"
            description="Whether the Cloudonix webhooks must carry the secret, how long the old secret keeps working after a rotation, and which networks may send them."
          >
            <WebhookSecurityForm tenant={t} canWrite={canWrite} />
          </SettingsSection>
          <SettingsSection title="Organisation" description="The name shown to your team and the Cloudonix domain this tenant routes.">
            <TenantProfileForm tenant={t} canWrite={canWrite} />
          </SettingsSection>
          <SettingsSection title="Fallback route" description="Used when no inbound rule matches a number, or when every agent of a group failed (if the group allows it).">
            <FallbackRouteForm tenant={t} canWrite={canWrite} agents={agents.data?.data ?? []} groups={groups.data?.data ?? []} />
          </SettingsSection>
          <SettingsSection
            title="Time zone, retention, call length and health"
            description="How days are counted, how long call data is kept, when a call Cloudonix never ends is closed, and when a failing agent, or one that answers and drops calls, is rested."
          >
            <RoutingSettingsForm tenant={t} canWrite={canWrite} />
          </SettingsSection>
          <SettingsSection
            title="Alerts"
            description="When to raise an alert (agents out of rotation or at their limit, calls going to the fallback, missing session updates or CDRs, refused webhooks) and where to send it."
          >
            <AlertSettingsForm canWrite={canWrite} />
          </SettingsSection>
          {canWrite && (
            <SettingsSection
              title="Erase a caller’s data"
              description="When a caller asks to be forgotten: their phone number is replaced by an anonymous token in your call data. This cannot be undone."
            >
              <EraseNumberForm />
            </SettingsSection>
          )}
        </div>
      )}
    </>
  );
}
