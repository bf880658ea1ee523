// DOM helpers. Data only ever reaches the page as text nodes or attribute values set here,
// never as HTML: claims, subjects and audit reasons come from workloads and must not run.

/** Builds an element; string children become text nodes, null/false children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An SVG element (its attributes are geometry and classes: colours come from console.css, never inline styles). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A table with a header row; each row is an array of cells (strings or nodes). */
export function table(headers, rows, empty = 'None.') {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  // The wrapper scrolls sideways on a narrow screen, so a wide table never widens the page.
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headers.map(header => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(cell => h('td', {}, cell)))))));
}

/** A definition list from [term, value] pairs. */
export function details(pairs) {
  return h('dl', {}, pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** An error box announced to screen readers, showing the API's own messages. */
export function errorBox(error) {
  const messages = error && Array.isArray(error.messages) ? error.messages : [String(error && error.message || error)];
  return h('div', { class: 'error', role: 'alert' }, messages.length === 1 ? messages[0] : h('ul', { class: 'plain' }, messages.map(m => h('li', {}, m))));
}

export function statusLine(text) {
  return h('p', { class: 'status', role: 'status' }, text);
}

export function mono(text) {
  return h('span', { class: 'mono' }, text);
}

export function yesNo(value) {
  return value ? 'yes' : 'no';
}

/** ISO 8601 in UTC to the second, the form the API and the CLI use; '—' when absent. */
export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function link(href, text) {
  return h('a', { href }, text);
}

/** A hash route segment for a name chosen by an administrator. */
export function segment(name) {
  return encodeURIComponent(name);
}
