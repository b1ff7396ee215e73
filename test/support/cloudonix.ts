import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { TestApp } from './test-app.js';

/** A Cloudonix session token: 32 hex characters. */
export const newSession = (): string => randomBytes(16).toString('hex');

/** A voice-application request body as Cloudonix sends it (shared/cloudonix.md §7.1). */
export function voiceBody(domain: string, session: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ApiVersion: '1',
    CallSid: session,
    Session: session,
    AccountSid: domain,
    Domain: domain,
    From: '+14155550123',
    To: '+12125550187',
    CallerName: '+14155550123',
    Direction: 'inbound',
    CallStatus: 'in-progress',
    SessionData: { token: session, status: 'processing', callStartTime: Date.now(), domainNameOrId: domain, profile: { 'inbound-trunk-name': 'pstn' } },
    ...over,
  };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

/** Parses CXML with a real XML parser (throws on malformed XML) and returns the Response element. */
export function parseCxml(xml: string): Record<string, unknown> {
  if (!xml.startsWith('<?xml')) throw new Error(`not an XML document: ${xml.slice(0, 80)}`);
  const doc = parser.parse(xml, true) as { Response?: Record<string, unknown> };
  if (!doc.Response || typeof doc.Response !== 'object') throw new Error(`no <Response> in ${xml}`);
  return doc.Response;
}

export interface DialedService {
  provider: string;
  number: string;
  action: string;
  username?: string;
  password?: string;
}

export function dialedService(xml: string): DialedService | null {
  const dial = parseCxml(xml).Dial as { Service?: Record<string, string>; action?: string } | undefined;
  if (!dial?.Service) return null;
  const { '#text': number, provider, username, password } = dial.Service;
  return { provider: provider!, number: number!, action: dial.action!, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

export async function webhookSecret(t: TestApp, adminToken: string): Promise<string> {
  return (await t.request({ method: 'GET', url: '/api/tenant', token: adminToken })).json<{ webhook_secret: string }>().webhook_secret;
}
