import { api } from '../api.js';
import { errorBox, h, link, mono, svg, table, when } from '../dom.js';
import { entriesFor, troubleshootingEntries } from '../troubleshooting.js';

const PAGE_SIZE = 50;
const KINDS = ['token', 'admin', 'push', 'pull', 'delete', 'key-sync', 'gc'];
const TEXT_FILTERS = [['robot', 'Robot'], ['issuer', 'Issuer'], ['subject', 'Subject'], ['repository', 'Repository'], ['reason', 'Reason']];

// The filters live in the hash (#/audit?outcome=refused&before=…), so Back, reload and a pasted link show the same page.
export async function renderAudit(section, _params, query) {
  const summary = h('div', { class: 'summary' });
  section.append(h('h1', {}, 'Audit log'), filterForm(query), summary);

  const request = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const key of ['outcome', 'kind', 'robot', 'issuer', 'subject', 'repository', 'reason', 'since', 'until', 'before']) {
    const value = query.get(key);
    if (value) request.set(key, key === 'since' || key === 'until' ? utc(value) : value);
  }
  const [page] = await Promise.all([api.get(`/audit?${request}`), renderSummary(summary, query)]);

  section.append(h('section', { 'aria-label': 'Audit entries' }, table(
    ['Time (UTC)', 'Kind', 'Outcome', 'Subject', 'Robots', 'Repository', 'Reason', 'Client'],
    page.entries.map(e => [
      when(e.at),
      e.kind,
      h('span', { class: e.outcome === 'refused' ? 'bad' : 'good' }, e.outcome),
      e.subject ? [mono(e.subject), e.unverified ? [' ', unverifiedMark()] : null] : '—',
      e.robots ?? '—',
      e.repository ? mono(e.reference ? `${e.repository}:${e.reference}` : e.repository) : '—',
      e.reason ?? '',
      e.clientIp ?? '',
    ]),
    'No audit entries match.')));

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

// Issuer and subject of a refused exchange can come from a token that failed verification: say so, as berth audit does.
function unverifiedMark() {
  return h('span', { class: 'badge warning', title: 'read from a token that failed verification: what the caller claimed, not who it is' }, 'unverified');
}

/** The chart of token exchanges per hour by outcome and the top refusal reasons, for the filters' robot, issuer and time range. */
async function renderSummary(container, query) {
  const request = new URLSearchParams();
  for (const key of ['robot', 'issuer', 'since', 'until']) {
    const value = query.get(key);
    if (value) request.set(key, key === 'since' || key === 'until' ? utc(value) : value);
  }
  let summary;
  let docs;
  try {
    [summary, docs] = await Promise.all([api.get(`/audit/summary?${request}`), troubleshootingEntries()]);
  } catch (error) {
    container.replaceChildren(h('h2', {}, 'Token exchanges per hour'), errorBox(error));
    return;
  }
  const accepted = summary.hours.reduce((n, x) => n + x.accepted, 0);
  const refused = summary.hours.reduce((n, x) => n + x.refused, 0);
  container.replaceChildren(
    h('h2', {}, 'Token exchanges per hour (UTC)'),
    h('p', { class: 'muted' }, `${when(summary.since)} to ${when(summary.until)}: `,
      h('span', { class: 'good' }, `${accepted} accepted`), ', ', h('span', { class: 'bad' }, `${refused} refused`)),
    chart(summary.hours),
    h('h2', {}, 'Top refusal reasons'),
    table(['Reason', 'Exchanges', 'Troubleshooting'], summary.topRefusals.map(r => [
      link(`#/audit?reason=${encodeURIComponent(r.reason)}&kind=token`, r.reason),
      String(r.count),
      troubleshootingLink(docs, r.reason),
    ]), 'No refused exchanges in this range.'));
}

// "unknown_key: …" is documented under its code, unknown_key.
function troubleshootingLink(docs, reason) {
  const code = entriesFor(docs, reason).length ? reason : /^[a-z_]+/.exec(reason)?.[0];
  return code && entriesFor(docs, code).length
    ? link(`#/troubleshooting/${encodeURIComponent(code)}`, `What ${code} means`)
    : h('span', { class: 'muted' }, 'no entry');
}

/** Stacked bars, accepted below refused, one per hour; an inline SVG scaled to its box, with a title per bar. */
function chart(hours) {
  const barWidth = 12;
  const gap = 2;
  const height = 120;
  const axis = 16;
  const width = hours.length * (barWidth + gap);
  const max = Math.max(1, ...hours.map(x => x.accepted + x.refused));
  const scale = count => (count / max) * (height - 14);
  const bars = hours.map((x, i) => {
    const left = i * (barWidth + gap);
    const good = scale(x.accepted);
    const bad = scale(x.refused);
    const label = `${when(x.hour).slice(0, 16)} UTC: ${x.accepted} accepted, ${x.refused} refused`;
    return svg('g', { class: 'bar' },
      svg('title', {}, label),
      // A transparent full-height box, so an empty hour still shows its title on hover.
      svg('rect', { class: 'hit', x: left, y: 0, width: barWidth, height }),
      x.accepted ? svg('rect', { class: 'accepted', x: left, y: height - good, width: barWidth, height: good }) : null,
      x.refused ? svg('rect', { class: 'refused', x: left, y: height - good - bad, width: barWidth, height: bad }) : null,
      new Date(x.hour).getUTCHours() % 6 === 0
        ? svg('text', { x: left, y: height + axis - 3, class: 'tick' }, `${String(new Date(x.hour).getUTCHours()).padStart(2, '0')}h`)
        : null);
  });
  const total = hours.reduce((n, x) => n + x.accepted + x.refused, 0);
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height + axis}`, role: 'img', 'aria-label': `Token exchanges per hour: ${total} in ${hours.length} hours, at most ${max} in one hour` },
      svg('text', { x: 0, y: 10, class: 'tick' }, `max ${max}`),
      svg('line', { x1: 0, x2: width, y1: height, y2: height, class: 'axis' }),
      bars),
    h('figcaption', { class: 'muted' }, h('span', { class: 'key accepted' }), ' accepted ', h('span', { class: 'key refused' }), ' refused'));
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
