// Hash routing: "#name?key=value". Reserved by the mail links (contract 1):
// #reset-password?token=... and #verify-email?token=... The fragment never
// reaches the server, its logs or a Referer header.

export function currentRoute() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const question = hash.indexOf('?');
  const name = question < 0 ? hash : hash.slice(0, question);
  const params = new URLSearchParams(question < 0 ? '' : hash.slice(question + 1));
  return { name, params };
}

export function navigate(name, params) {
  const query = params ? `?${new URLSearchParams(params)}` : '';
  const target = `#${name}${query}`;
  if (window.location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = target;
}

/** Drops a one-time token from the address bar once read, so it is not bookmarked or shared. */
export function forgetQuery(name) {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${name}`);
}
