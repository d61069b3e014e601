/** Time zone of the demo town and the default of every deployment (GLOSSARY: formats users expect). */
export const TIME_ZONE = 'Asia/Shanghai';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, whatever the browser's own time zone. */
export function formatDateTime(iso: string): string {
  const get = (type: string, from: Intl.DateTimeFormatPart[]) =>
    from.find((part) => part.type === type)?.value ?? '';
  const all = parts.formatToParts(new Date(iso));
  return `${get('year', all)}-${get('month', all)}-${get('day', all)} ${get('hour', all)}:${get('minute', all)}`;
}
