import { humanize } from '../../lib/format.js';
import type { AuditLogEntry } from './api/get-audit-log.js';

/** The words the rest of the console uses for each audited kind of item. */
const ENTITY_WORDS: Readonly<Record<string, string>> = {
  voice_agent: 'agent',
  agent_group: 'group',
  inbound_rule: 'inbound rule',
  outbound_rule: 'outbound rule',
  user: 'user',
  invitation: 'invitation',
  tenant: 'organisation',
  export: 'export',
  privacy: 'privacy',
  alert: 'alert',
  alert_settings: 'alert settings',
  cloudonix_connection: 'Cloudonix connection',
};

export function entityWord(type: string): string {
  return ENTITY_WORDS[type] ?? humanize(type).toLowerCase();
}

/** "Agent Sales bot", "deleted agent #12", "Export #3": names, not ids, wherever the server knows one. */
export function entityLabel(e: Pick<AuditLogEntry, 'entity_type' | 'entity_id' | 'entity_name' | 'entity_deleted'>): { kind: string; name: string | null } {
  const word = entityWord(e.entity_type);
  const kind = capitalize(word);
  if (e.entity_deleted) return { kind: `Deleted ${word}`, name: e.entity_id === null ? null : `#${e.entity_id}` };
  if (e.entity_name) return { kind, name: e.entity_name };
  return { kind, name: e.entity_id === null ? null : `#${e.entity_id}` };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "Agent deleted", "Group updated", "Settings updated": the action in the same words as the item column. */
export function actionLabel(action: string): string {
  const dot = action.indexOf('.');
  if (dot === -1) return humanize(action);
  const type = action.slice(0, dot);
  const rest = humanize(action.slice(dot + 1)).toLowerCase();
  if (type === 'tenant') return rest === 'updated' ? 'Settings updated' : capitalize(rest);
  return ENTITY_WORDS[type] ? `${capitalize(ENTITY_WORDS[type])} ${rest}` : humanize(action);
}

/** Who acted: a name, "deleted user #3", or the system. */
export function actorLabel(e: Pick<AuditLogEntry, 'user_id' | 'user_name' | 'user_deleted'>): string {
  if (e.user_name) return e.user_name;
  if (e.user_deleted && e.user_id !== null) return `Deleted user #${e.user_id}`;
  return 'System';
}
