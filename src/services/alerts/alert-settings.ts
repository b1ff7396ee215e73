import type { Actor } from '../../core/principal.js';
import { alertSettings, defaultAlertSettings, type AlertSettings, type AlertSettingsView, type UpdateAlertSettingsInput } from '../../core/schemas/alert.js';
import type { SecretBox } from '../../core/secret-box.js';
import { readJson } from '../../store/json-column.js';
import type { AlertSettingsRow } from '../../store/alerts.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';

/** A tenant's settings as stored, over the defaults (a field added later takes its default). */
export function settingsOf(row: AlertSettingsRow | undefined): AlertSettings {
  if (!row) return defaultAlertSettings;
  const parsed = alertSettings.safeParse(readJson<unknown>(row.settings, {}));
  return parsed.success ? parsed.data : defaultAlertSettings;
}

/**
 * Alert settings: thresholds, the outgoing webhook, email recipients, and the webhook's
 * signing secret, sealed like every other secret and never returned (only whether it is set).
 */
export function createAlertSettings({ repos, secretBox, clock }: { repos: Repositories; secretBox: SecretBox; clock: Clock }) {
  const view = (row: AlertSettingsRow | undefined): AlertSettingsView => ({ ...settingsOf(row), signing_secret_set: Boolean(row?.signing_secret_sealed) });
  return {
    async read(tenantId: number): Promise<{ settings: AlertSettings; signingSecret: string | null }> {
      const row = await repos.alerts.settings(tenantId);
      return { settings: settingsOf(row), signingSecret: row?.signing_secret_sealed ? secretBox.open(row.signing_secret_sealed) : null };
    },
    async view(tenantId: number): Promise<AlertSettingsView> {
      return view(await repos.alerts.settings(tenantId));
    },
    /** Saves the changes and audits them (the secret only as set or not). */
    async update(actor: Actor, input: UpdateAlertSettingsInput): Promise<AlertSettingsView> {
      const { tenantId } = actor.principal;
      const row = await repos.alerts.settings(tenantId);
      const { signing_secret: secret, ...changes } = input;
      const settings: AlertSettings = { ...settingsOf(row), ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
      const sealed = secret === undefined ? (row?.signing_secret_sealed ?? null) : secret === null ? null : secretBox.seal(secret);
      const now = clock();
      await repos.alerts.saveSettings(tenantId, settings, sealed, now);
      const after = view(await repos.alerts.settings(tenantId));
      await repos.auditLog.insert(tenantId, { userId: actor.principal.userId, action: 'alert_settings.updated', entityType: 'alert_settings', entityId: null, before: view(row), after, ip: actor.ip, at: now });
      return after;
    },
  };
}
export type AlertSettingsService = ReturnType<typeof createAlertSettings>;
