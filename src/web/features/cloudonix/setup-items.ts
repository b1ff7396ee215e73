import type { SetupItem } from './api/types.js';

/** What each item of the domain setup is called on screen, in the order Cloudonix needs them. */
export const setupItemLabels: Readonly<Record<SetupItem, string>> = {
  voice_application: 'Voice application',
  default_application: 'Default application',
  authorization_key: 'Authorization key',
  session_update_endpoint: 'Session-update endpoint',
  cdr_endpoint: 'CDR endpoint',
};

/** The label, or the server's own name for an item this build does not know yet. */
export function setupItemLabel(item: string): string {
  return item in setupItemLabels ? setupItemLabels[item as SetupItem] : item;
}
