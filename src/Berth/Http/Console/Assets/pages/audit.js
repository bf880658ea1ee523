import { api } from '../api.js';
import { h, link, mono, table, when } from '../dom.js';

const PAGE_SIZE = 50;
const KINDS = ['token', 'admin', 'push', 'pull', 'delete', 'key-sync', 'gc'];
const TEXT_FILTERS = [['robot', 'Robot'], ['issuer', 'Issuer'], ['subject', 'Subject'], ['repository', 'Repository']];

// The filters live in the hash (#/audit?outcome=refused&before=…), so Back, reload and a pasted link show the same page.
export async function renderAudit(section, _params, query) {
  section.append(h('h1', {}, 'Audit log'), filterForm(query));

  const request = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const key of ['outcome', 'kind', 'robot', 'issuer', 'subject', 'repository', 'since', 'until', 'before']) {
    const value = query.get(key);
    if (value) request.set(key, key === 'since' || key === 'until' ? utc(value) : value);
  }
  const page = await api.get(`/audit?${request}`);

  section.append(table(
    ['Time (UTC)', 'Kind', 'Outcome', 'Subject', 'Robots', 'Repository', 'Reason', 'Client'],
    page.entries.map(e => [
      when(e.at),
      e.kind,
      h('span', { class: e.outcome === 'refused' ? 'bad' : 'good' }, e.outcome),
      e.subject ? mono(e.subject) : '—',
      e.robots ?? '—',
      e.repository ? mono(e.reference ? `${e.repository}:${e.reference}` : e.repository) : '—',
      e.reason ?? '',
      e.clientIp ?? '',
    ]),
    'No audit entries match.'));

  const paging = h('div', { class: 'actions' });
  if (query.get('before')) paging.append(link(hashWith(query, null), 'Newest'));
  if (page.next != null) paging.append(link(hashWith(query, String(page.next)), 'Older entries'));
  section.append(paging);
}

/** A datetime-local value ("2026-01-02T03:04") read as UTC, as ISO 8601 for the API. */
function utc(value) {
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : value + 'Z');
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function hashWith(query, before) {
  const next = new URLSearchParams(query);
  if (before) next.set('before', before); else next.delete('before');
  const text = next.toString();
  return text ? `#/audit?${text}` : '#/audit';
}

function filterForm(query) {
  const outcome = select('outcome', ['accepted', 'refused'], query.get('outcome'));
  const kind = select('kind', KINDS, query.get('kind'));
  const texts = TEXT_FILTERS.map(([name]) => h('input', { name, value: query.get(name) ?? '' }));
  // Audit times are UTC, so the pickers are read as UTC too (a datetime-local input has no zone of its own).
  const since = h('input', { name: 'since', type: 'datetime-local', value: query.get('since') ?? '' });
  const until = h('input', { name: 'until', type: 'datetime-local', value: query.get('until') ?? '' });

  const form = h('form', { class: 'filters', 'aria-label': 'Audit filters' },
    h('label', {}, 'Outcome', outcome),
    h('label', {}, 'Kind', kind),
    TEXT_FILTERS.map(([, label], i) => h('label', {}, label, texts[i])),
    h('label', {}, 'Since (UTC)', since),
    h('label', {}, 'Until (UTC)', until),
    h('button', { type: 'submit' }, 'Apply'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { location.hash = `#/audit?t=${Date.now()}`; } }, 'Reset'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const input of [outcome, kind, ...texts, since, until]) {
      if (input.value) next.set(input.name, input.value.trim());
    }
    // A changing marker so that Apply with unchanged filters still reloads the newest entries.
    next.set('t', String(Date.now()));
    location.hash = `#/audit?${next}`;
  });
  return form;
}

function select(name, values, current) {
  return h('select', { name },
    h('option', { value: '' }, 'any'),
    values.map(v => h('option', { value: v, selected: v === current }, v)));
}
