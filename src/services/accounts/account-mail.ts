import { createTransport } from 'nodemailer';
import type { Logger } from '../logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends account emails (invitations, password resets); `enabled` is false without SMTP_URL. */
export interface AccountMailer {
  readonly enabled: boolean;
  /** true when the server took the mail; false (and logged, never the link) when it could not be sent. */
  send(mail: Mail): Promise<boolean>;
  close(): void;
}

export function createAccountMailer(smtpUrl: string | undefined, from: string, logger: Logger): AccountMailer {
  if (!smtpUrl) return { enabled: false, send: async () => false, close: () => undefined };
  // Short timeouts: an admin waits for the answer, and a mail server that does not answer must not hold it.
  const transport = createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    enabled: true,
    async send(mail) {
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
        return true;
      } catch (err) {
        logger.warn({ err, subject: mail.subject }, 'could not send an account email');
        return false;
      }
    },
    close: () => transport.close(),
  };
}

/**
 * Link pages of the admin UI. The token goes in the fragment (after `#`), which browsers never
 * send to a server: it stays out of access logs, proxies and Referer headers.
 */
export const acceptInvitationUrl = (base: string, token: string) => `${base}/accept-invitation#token=${token}`;
export const resetPasswordUrl = (base: string, token: string) => `${base}/reset-password#token=${token}`;

export function invitationMail(m: { to: string; tenantName: string; inviter: string | null; role: string; url: string; expiresAt: string }): Mail {
  return {
    to: m.to,
    subject: `You are invited to ${m.tenantName} on Voice LB`,
    text: [
      `${m.inviter ?? 'An admin'} invited you to join ${m.tenantName} as ${m.role === 'admin' ? 'an admin' : 'an analyst'}.`,
      '',
      `Set your password and sign in here: ${m.url}`,
      '',
      `The link works once, until ${m.expiresAt}. If you did not expect this, ignore this email.`,
    ].join('\n'),
  };
}

export function resetMail(m: { to: string; url: string; expiresAt: string; forced: boolean }): Mail {
  return {
    to: m.to,
    subject: 'Set a new Voice LB password',
    text: [
      m.forced ? 'An admin of your tenant asked you to set a new password; you have been signed out.' : 'Someone (hopefully you) asked to reset your Voice LB password.',
      '',
      `Set a new password here: ${m.url}`,
      '',
      `The link works once, until ${m.expiresAt}.${m.forced ? '' : ' If you did not ask, ignore this email: your password stays as it is.'}`,
    ].join('\n'),
  };
}
