import { api } from '../api.js';
import { h, link, segment, table } from '../dom.js';

/** Counts, and what needs attention: providers whose keys fail, robots with lint warnings, refusals of the last 24 h. */
export async function renderOverview(section) {
  section.append(h('h1', {}, 'Overview'));
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const [providers, robots, projects, repositories, refusals] = await Promise.all([
    api.get('/identity-providers'),
    api.get('/robots'),
    api.get('/projects'),
    api.get('/repositories'),
    api.get(`/audit?${new URLSearchParams({ outcome: 'refused', kind: 'token', since, limit: '1000' })}`),
  ]);
  const card = (label, value, href) => h('div', { class: 'card' }, h('strong', {}, String(value)), href ? link(href, label) : label);
  section.append(h('div', { class: 'cards' },
    card('identity providers', providers.length, '#/identity-providers'),
    card('robots', robots.length, '#/robots'),
    card('projects', projects.length, '#/projects'),
    card(repositories.length >= 1000 ? 'repositories (first 1000)' : 'repositories', repositories.length),
    card('token refusals, 24 h', refusals.entries.length >= 1000 ? '1000+' : refusals.entries.length, '#/audit?kind=token&outcome=refused')));

  const failing = providers.filter(p => p.keys && (!p.keys.keysUsable || p.keys.lastError));
  section.append(h('h2', {}, 'Identity providers with failing keys'), table(['Name', 'Last error'],
    failing.map(p => [link(`#/identity-providers/${segment(p.name)}`, p.name), p.keys.lastError ?? 'no usable keys']), 'None.'));

  const linted = robots.filter(r => r.warnings && r.warnings.length);
  section.append(h('h2', {}, 'Robots with lint warnings'), table(['Robot', 'Warnings'],
    linted.map(r => [link(`#/robots/${segment(r.name)}`, r.name), r.warnings.map(w => w.code).join(', ')]), 'None.'));

  const reasons = new Map();
  for (const entry of refusals.entries) reasons.set(entry.reason ?? '(none)', (reasons.get(entry.reason ?? '(none)') ?? 0) + 1);
  section.append(h('h2', {}, 'Top refusal reasons, 24 h'), table(['Reason', 'Count'],
    [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([reason, count]) => [reason, String(count)]), 'No refused token requests.'));
}
