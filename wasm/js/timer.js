// setTimeout that never keeps a Node process alive (unref) and copes with
// delays beyond setTimeout's 24.8-day limit by waking up early.
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Calls fn after delayMs; returns {cancel()}. */
export function scheduleTimer(delayMs, fn) {
  const handle = setTimeout(fn, Math.min(Math.max(0, delayMs), MAX_DELAY_MS));
  handle?.unref?.();
  return { cancel: () => clearTimeout(handle) };
}
