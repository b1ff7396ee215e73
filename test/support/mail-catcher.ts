import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A local SMTP server (127.0.0.1, any port) that keeps every mail it is sent, parsed. */
export interface MailCatcher {
  /** SMTP_URL for the service under test. */
  readonly url: string;
  readonly mails: readonly ParsedMail[];
  /** Mails addressed to `email`, oldest first. */
  to(email: string): ParsedMail[];
  close(): Promise<void>;
}

const recipient = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '';

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => mails.push(m))
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    mails,
    to: (email) => mails.filter((m) => recipient(m) === email),
    close: () => new Promise<void>((resolve) => smtp.close(resolve)),
  };
}
