// One polite status line under the header for outcomes that outlive a view
// ("You are signed out", "Password changed").
const element = () => document.getElementById('notice');
let timer = null;

export function notify(text, { kind = 'info' } = {}) {
  const box = element();
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => (box.hidden = true), 15000);
}

export function clearNotice() {
  clearTimeout(timer);
  element().hidden = true;
}
