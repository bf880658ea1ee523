import { api } from '../api.js';
import { h, link, mono, table } from '../dom.js';

/**
 * #/public: the repositories and tags of public projects, for anyone, signed in or not. It reads only the
 * anonymous GET /api/v1/public/repositories, so it shows nothing that anonymous pulls do not already reveal.
 */
export async function renderPublic(section, signedIn) {
  section.append(h('h1', {}, 'Public repositories'),
    h('p', { class: 'muted' }, 'Anyone may pull these without credentials.',
      signedIn ? '' : [' ', link('#/overview', 'Sign in'), ' to manage the registry.']));
  const answer = await api.get('/public/repositories');
  if (answer.projects.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No project is public.'));
    return;
  }
  const host = location.host;
  for (const project of answer.projects) {
    section.append(h('h2', {}, `Project ${project.name}`),
      table(['Repository', 'Tags', 'Pull'], project.repositories.map(r => [
        mono(r.name),
        r.tags.length ? r.tags.join(', ') : h('span', { class: 'muted' }, 'no tags'),
        r.tags.length ? mono(`docker pull ${host}/${r.name}:${r.tags[0]}`) : '—',
      ]), 'No repositories yet.'),
      project.truncated ? h('p', { class: 'note' }, 'Only the first 100 repositories are listed.') : '');
  }
}
