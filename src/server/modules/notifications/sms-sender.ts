/** Where text messages go. A gateway (阿里云, 腾讯云 …) implements this; gridgov ships only the log. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

export interface SentSms {
  phone: string;
  text: string;
}

export type LoggingSmsSender = SmsSender & { readonly sent: readonly SentSms[] };

/**
 * Writes each message to the log instead of sending it, with the number masked (logs travel further than
 * the database), and keeps the last `keep` in memory so tests and an operator trying the wording can read
 * them whole.
 */
export function createLoggingSmsSender(
  options: { write?: (line: string) => void; keep?: number } = {},
): LoggingSmsSender {
  const write = options.write ?? ((line: string) => console.log(line));
  const keep = options.keep ?? 100;
  const sent: SentSms[] = [];
  return {
    sent,
    async send(phone, text) {
      write(`SMS to ${phone.slice(0, 3)}****${phone.slice(-4)}: ${text}`);
      sent.push({ phone, text });
      if (sent.length > keep) sent.shift();
    },
  };
}
