// The session's timeline, drawn as the client reports events: each access
// token as a bar from when it arrived to its expiry, each event as a mark,
// "now" and the next scheduled refresh as lines. The drawing is for the eye;
// the list under it says the same in words and times, for everyone.
import { h, replaceChildren, uniqueId } from '../dom.js';
import { clockTime, fromEpochSeconds, relativeTime } from '../time-format.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 96;

const KINDS = {
  INITIAL_SESSION: { kind: 'other', title: 'Page loaded' },
  SIGNED_IN: { kind: 'signin', title: 'Signed in' },
  TOKEN_REFRESHED: { kind: 'refresh', title: 'Refreshed' },
  MFA_CHALLENGE: { kind: 'other', title: 'Second step asked' },
  MFA_CHALLENGE_VERIFIED: { kind: 'stepup', title: 'Stepped up' },
  USER_UPDATED: { kind: 'other', title: 'Profile changed' },
  SESSION_EXPIRED: { kind: 'signout', title: 'Session ended by the server' },
  SIGNED_OUT: { kind: 'signout', title: 'Signed out' },
};
const kindOf = (event) => KINDS[event] ?? { kind: 'other', title: event };

const shortId = (id) => (id ? `${id.slice(0, 8)}…` : null);

// What the event did, in words: the session, the tokens, a rotation.
function detail(entry) {
  const parts = [];
  if (entry.event === 'INITIAL_SESSION') parts.push(entry.sid ? 'session restored from this browser’s storage' : 'not signed in');
  if (entry.event === 'MFA_CHALLENGE') parts.push('the first step was right; a code from the authenticator app is next');
  if (entry.event === 'MFA_CHALLENGE_VERIFIED') parts.push(`second factor verified: ${entry.aal ?? 'aal2'}, new access token, same refresh token`);
  if (entry.event === 'SESSION_EXPIRED') parts.push('the server refused the refresh token; this browser must sign in again');
  if (entry.event === 'SIGNED_OUT') parts.push('tokens removed from this browser');
  if (entry.sid && entry.event !== 'INITIAL_SESSION') parts.push(`session ${shortId(entry.sid)}`);
  if (entry.expiresAt) parts.push(`access token valid until ${clockTime(fromEpochSeconds(entry.expiresAt))}`);
  if (entry.rotated) {
    parts.push(entry.rotatedFrom && entry.refreshTag
      ? `refresh token rotated: ${entry.rotatedFrom} → ${entry.refreshTag} (the old one is spent)`
      : 'refresh token rotated (the old one is spent)');
  } else if (entry.refreshTag && (entry.event === 'SIGNED_IN' || entry.event === 'INITIAL_SESSION')) {
    parts.push(`refresh token ${entry.refreshTag}`);
  }
  return parts.join(' · ');
}

const svg = (tag, attributes = {}) => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
};

// A mark whose shape, not only its colour, tells the kind.
function mark(kind, x, y) {
  if (kind === 'stepup') return svg('rect', { x: x - 5, y: y - 5, width: 10, height: 10, transform: `rotate(45 ${x} ${y})`, class: `tl-mark tl-${kind}` });
  if (kind === 'signout') return svg('rect', { x: x - 5, y: y - 5, width: 10, height: 10, class: `tl-mark tl-${kind}` });
  return svg('circle', { cx: x, cy: y, r: kind === 'other' ? 4 : 6, class: `tl-mark tl-${kind}` });
}

export function timelineCard() {
  const captionId = uniqueId('timeline-caption');
  const drawing = svg('svg', { class: 'timeline', role: 'img', 'aria-labelledby': captionId, height: HEIGHT, width: '100%' });
  const caption = h('p', { id: captionId, class: 'hint' },
    'Drawing of the events listed below, oldest on the left: bars are access tokens (from arrival to expiry, alternating rows), ',
    'dots are sign-ins and refreshes, a diamond a step-up, a square a sign-out; the solid line is now, the dashed line the next scheduled refresh.');
  const list = h('ol', { class: 'event-log', tabindex: '0', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Session timeline, oldest first' });
  const items = new Map(); // entry -> {item, when, text}

  function drawList(entries, now) {
    for (const [entry, { item }] of items) {
      if (!entries.includes(entry)) {
        item.remove();
        items.delete(entry);
      }
    }
    let added = false;
    for (const entry of entries) {
      let row = items.get(entry);
      if (!row) {
        const { kind, title } = kindOf(entry.event);
        const when = h('span', { class: 'relative' });
        const text = h('span', { class: 'timeline-detail' });
        const item = h('li', { 'data-event': entry.event, 'data-kind': kind },
          h('time', { datetime: entry.at.toISOString(), text: clockTime(entry.at, now) }), ' ', when, ' ',
          h('strong', { text: title }), ' ', h('code', { class: 'event-name', text: entry.event }), h('br'), text);
        row = { item, when, text };
        items.set(entry, row);
        list.append(item);
        added = true;
      }
      row.when.textContent = `(${relativeTime(entry.at, now)})`;
      row.text.textContent = detail(entry);
    }
    if (added) list.scrollTop = list.scrollHeight;
  }

  function drawPicture(entries, now, nextRefreshAt) {
    const width = Math.max(240, Math.round(drawing.getBoundingClientRect().width) || 600);
    drawing.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    const shapes = [];
    if (entries.length === 0) return replaceChildren(drawing);
    const start = entries[0].at.getTime();
    let end = now;
    for (const entry of entries) if (entry.expiresAt) end = Math.max(end, fromEpochSeconds(entry.expiresAt));
    if (nextRefreshAt) end = Math.max(end, nextRefreshAt);
    const span = Math.max(end - start, 10_000) * 1.04;
    const pad = 12;
    const x = (ms) => pad + ((ms - start) / span) * (width - 2 * pad);
    // Access tokens: from the event that brought each one to its expiry.
    let lane = 0;
    entries.forEach((entry, i) => {
      if (!entry.expiresAt || !['SIGNED_IN', 'TOKEN_REFRESHED', 'MFA_CHALLENGE_VERIFIED', 'INITIAL_SESSION'].includes(entry.event)) return;
      const ended = entries.slice(i + 1).find((later) => later.event === 'SIGNED_OUT' || later.event === 'SESSION_EXPIRED');
      const from = x(entry.at.getTime());
      const to = x(Math.min(fromEpochSeconds(entry.expiresAt), ended ? ended.at.getTime() : Infinity));
      const y = 10 + (lane++ % 2) * 18;
      shapes.push(svg('rect', { x: from, y, width: Math.max(2, to - from), height: 12, rx: 3, class: 'tl-token' }));
    });
    shapes.push(svg('line', { x1: pad, x2: width - pad, y1: 66, y2: 66, class: 'tl-axis' }));
    for (const entry of entries) shapes.push(mark(kindOf(entry.event).kind, x(entry.at.getTime()), 66));
    if (nextRefreshAt) shapes.push(svg('line', { x1: x(nextRefreshAt), x2: x(nextRefreshAt), y1: 4, y2: HEIGHT - 4, class: 'tl-next' }));
    shapes.push(svg('line', { x1: x(now), x2: x(now), y1: 4, y2: HEIGHT - 4, class: 'tl-now' }));
    replaceChildren(drawing, shapes);
  }

  const element = h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title', text: 'Session timeline' }), drawing, caption, list);
  return {
    element,
    /** Redraws for `now`; cheap enough to run every second. */
    update(entries, now, nextRefreshAt) {
      drawList(entries, now);
      drawPicture(entries, now, nextRefreshAt);
    },
  };
}
