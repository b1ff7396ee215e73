import { createTransport } from 'nodemailer';

export interface ExportReadyMail {
  to: string;
  exportId: number;
  format: string;
  rowCount: number;
  /** `/api/exports/<id>/download`, prefixed with PUBLIC_URL when it is set. */
  downloadUrl: string;
  expiresAt: string | null;
}

/** Tells a requester their export is ready. */
export interface ExportNotifier {
  exportReady(mail: ExportReadyMail): Promise<void>;
  close(): void;
}

/** The email itself: plain text, with where to download the file and until when. */
export function exportReadyText(m: ExportReadyMail): { subject: string; text: string } {
  const rows = `${m.rowCount.toLocaleString('en-US')} call record${m.rowCount === 1 ? '' : 's'}`;
  return {
    subject: `Your call export #${m.exportId} is ready`,
    text: [
      `Your ${m.format.toUpperCase()} export #${m.exportId} (${rows}) is ready.`,
      '',
      `Download it, signed in, from: ${m.downloadUrl}`,
      m.expiresAt ? `The file is removed after ${m.expiresAt}.` : '',
    ].join('\n'),
  };
}

/** Email through the SMTP server of SMTP_URL (smtp:// or smtps://, credentials in the URL). */
export function createSmtpNotifier(smtpUrl: string, from: string): ExportNotifier {
  // Short timeouts: a mail server that does not answer must not hold an export job for minutes.
  const transport = createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async exportReady(mail) {
      const { subject, text } = exportReadyText(mail);
      await transport.sendMail({ from, to: mail.to, subject, text });
    },
    close: () => transport.close(),
  };
}
