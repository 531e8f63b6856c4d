// Times as people read them: a clock time ("14:03:12", with the date when it
// is not today) and how far away it is ("in 12 s", "3 min ago"). Tokens carry
// seconds since the epoch; nobody should have to decode those by eye.

const toMs = (value) => (value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value));

/** "14:03:12", or the date and time when it is not today. */
export function clockTime(value, now = Date.now()) {
  const date = new Date(toMs(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toDateString() === new Date(now).toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}

function span(ms) {
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 36) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/** "in 12 s", "3 min ago" or "now" (within half a second). */
export function relativeTime(value, now = Date.now()) {
  const delta = toMs(value) - now;
  if (Number.isNaN(delta)) return '';
  if (Math.abs(delta) < 500) return 'now';
  return delta > 0 ? `in ${span(delta)}` : `${span(-delta)} ago`;
}

/** "14:03:12 (in 12 s)". */
export const whenText = (value, now = Date.now()) => `${clockTime(value, now)} (${relativeTime(value, now)})`;

/** Seconds since the epoch (a JWT's exp, iat, auth_time) as milliseconds. */
export const fromEpochSeconds = (seconds) => seconds * 1000;
