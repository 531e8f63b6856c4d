// An accessible yes/no question in a modal <dialog> (focus stays inside,
// Escape cancels, focus returns to the button that asked).
import { h } from './dom.js';

export function confirmDialog({ title, text, confirmLabel = 'Confirm' }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const cancel = h('button', { type: 'button', text: 'Cancel', value: 'cancel' });
    const confirm = h('button', { type: 'button', class: 'danger', text: confirmLabel, value: 'confirm' });
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h('h2', { id: 'confirm-title', text: title }), h('p', { id: 'confirm-text', text }), h('div', { class: 'actions' }, cancel, confirm));
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      opener?.focus?.();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(false));
    confirm.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();  // the safe choice first
  });
}
