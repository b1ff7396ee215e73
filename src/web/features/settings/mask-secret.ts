/** The text with the webhook secret hidden, for URLs shown on screen (copying still copies the real one). */
export function maskSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('••••••••') : text;
}
