// Labelled form fields with their own error line, and the mapping of the API's validation messages
// ("robots[ci].rules[0].claim: is required") onto the field they concern. A message that names no
// field on the form is shown in the form's own error box.
import { errorBox, h } from './dom.js';

let counter = 0;

/** A unique element id, so every label points at its input (keyboard and screen readers). */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * A field: label, input, optional hint and an error line. `key` is the API's name for it
 * (e.g. "issuer", "permissions[1].project"); the Errors of the form finds the field by it.
 */
export function field(label, input, key, hint) {
  if (!input.id) input.id = uid();
  const error = h('p', { class: 'field-error', id: `${input.id}-error`, hidden: true });
  const described = [error.id];
  let hintNode = null;
  if (hint) {
    hintNode = h('small', { class: 'muted', id: `${input.id}-hint` }, hint);
    described.unshift(hintNode.id);
  }
  input.setAttribute('aria-describedby', described.join(' '));
  return h('div', { class: 'field', 'data-field': key ?? null }, h('label', { for: input.id }, label), input, hintNode, error);
}

/** Shows API refusals next to fields of `container`; the rest goes into `general`. */
export class FieldErrors {
  constructor(container, general) {
    this.container = container;
    this.general = general;
  }

  clear() {
    this.general.replaceChildren();
    for (const node of this.container.querySelectorAll('.field-error')) {
      node.textContent = '';
      node.hidden = true;
    }
    for (const node of this.container.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  }

  /** Places each message; returns how many found a field. */
  show(error) {
    this.clear();
    const messages = error && Array.isArray(error.messages) ? error.messages : [String(error && error.message || error)];
    const unplaced = [];
    let placed = 0;
    let first = null;
    for (const message of messages) {
      const target = this.find(message);
      if (!target) {
        unplaced.push(message);
        continue;
      }
      const { slot, text } = target;
      const line = slot.querySelector(':scope > .field-error');
      line.textContent = line.textContent ? `${line.textContent}; ${text}` : text;
      line.hidden = false;
      const input = slot.querySelector(':scope > input, :scope > select, :scope > textarea, :scope input, :scope select');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first ??= input;
      }
      placed += 1;
    }
    if (unplaced.length > 0) this.general.append(errorBox({ messages: unplaced }));
    else if (first) first.focus();
    return placed;
  }

  // "kind[name].a[0].b: text" → the closest field of key a[0].b, a[0] or a.
  find(message) {
    const match = /^[A-Za-z]+\[[^\]]*\]\.([A-Za-z0-9_.[\]]+):\s*(.*)$/s.exec(message) ?? /^([A-Za-z]+):\s*(.*)$/s.exec(message);
    if (!match) return null;
    let key = match[1];
    while (key) {
      const slot = this.container.querySelector(`[data-field="${CSS.escape(key)}"]`);
      if (slot) return { slot, text: match[2] };
      const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
      key = cut > 0 ? key.slice(0, cut) : '';
    }
    return null;
  }
}

/**
 * A button that asks once more before it acts: the question and a second button appear beside it,
 * so the choice is made by keyboard or pointer without a browser dialog.
 */
export function confirmButton(label, question, confirmLabel, action) {
  const wrapper = h('span', { class: 'actions' });
  const start = h('button', { type: 'button', class: 'secondary' }, label);
  start.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger' }, confirmLabel);
    const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const prompt = h('span', { role: 'group', 'aria-label': question }, h('span', {}, question), ' ', yes, ' ', no);
    no.addEventListener('click', () => { wrapper.replaceChildren(start); start.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await action();
      } finally {
        yes.disabled = false;
      }
    });
    wrapper.replaceChildren(prompt);
    yes.focus();
  });
  wrapper.append(start);
  return wrapper;
}

/** The claims of a JWT, decoded only to offer claim names and values: never verified, never stored. */
export function claimsOf(text) {
  const value = text.trim();
  if (!value) return null;
  if (value.startsWith('{')) {
    try {
      const parsed = JSON.parse(value);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - base64.length % 4) % 4));
    const json = new TextDecoder().decode(Uint8Array.from(binary, c => c.charCodeAt(0)));
    const parsed = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Dotted paths of every scalar (or array of scalars) claim, nested objects included: kubernetes.io.namespace. */
export function claimPaths(claims, prefix = '') {
  const paths = [];
  for (const [key, value] of Object.entries(claims ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) paths.push(...claimPaths(value, path));
    else paths.push([path, Array.isArray(value) ? value.join(', ') : String(value)]);
  }
  return paths;
}
