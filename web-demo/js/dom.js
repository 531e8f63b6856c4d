// Tiny DOM helpers. Text always goes in as textContent, never as HTML, so
// nothing a user or the server supplies can inject markup.

/** h('button', {class: 'x', onclick: fn, type: 'button'}, 'Save') */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

let ids = 0;
export const uniqueId = (prefix) => `${prefix}-${++ids}`;

/** A labelled input: returns {row, input}. Extra attributes go on the input. */
export function field(label, attributes = {}, hint) {
  const id = attributes.id ?? uniqueId(attributes.name ?? 'field');
  const hintId = hint ? `${id}-hint` : undefined;
  const input = h('input', { id, 'aria-describedby': hintId, ...attributes });
  const row = h('div', { class: 'field' }, h('label', { for: id, text: label }), input,
    hint ? h('p', { id: hintId, class: 'hint', text: hint }) : null);
  return { row, input };
}

/** The region where a form reports its error; role=alert so it is read out. */
export function errorBox() {
  return h('p', { class: 'form-error', role: 'alert', hidden: true });
}

export function showError(box, text) {
  box.textContent = text ?? '';
  box.hidden = !text;
}

/**
 * Runs `work` with the form's controls disabled (a double click sends once).
 * Resolves to the error it threw, or null: the caller handles it once the
 * controls are enabled again, so focus can move to a field.
 */
export async function attempt(form, work) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')];
  const before = controls.map((c) => c.disabled);
  controls.forEach((c) => (c.disabled = true));
  form.setAttribute('aria-busy', 'true');
  try {
    await work();
    return null;
  } catch (error) {
    return error;
  } finally {
    controls.forEach((c, i) => (c.disabled = before[i]));
    form.removeAttribute('aria-busy');
  }
}

export const formatTime = (value) => {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
};
