import { api } from '../api.js';
import { errorBox, h, link, mono, statusLine, table } from '../dom.js';
import { confirmButton } from '../forms.js';

/** The catalog (first 1000 names); a repository's tags, each deletable after a confirmation. */
export async function renderRepositories(section) {
  section.append(h('h1', {}, 'Repositories'));
  const names = await api.get('/repositories');
  section.append(table(['Repository'], names.map(name => [link(`#/repositories/${encodeURIComponent(name)}`, name)]),
    'No repositories yet: the first push creates one.'));
}

export async function renderRepository(section, [name]) {
  section.append(h('p', {}, link('#/repositories', '← Repositories')), h('h1', {}, `Repository ${name}`));
  const messages = h('div');
  const list = h('div');
  section.append(messages, list);
  // Repository names hold slashes: each component is escaped, the slashes stay.
  const path = name.split('/').map(encodeURIComponent).join('/');

  async function show() {
    const tags = await api.get(`/repositories/${path}/tags`);
    list.replaceChildren(table(['Tag', 'Actions'], tags.tags.map(tag => [
      mono(tag),
      confirmButton(`Delete tag ${tag}`, `Delete ${name}:${tag}?`, `Yes, delete ${tag}`, async () => {
        try {
          await api.delete(`/repositories/${path}/tags/${encodeURIComponent(tag)}`);
          await show();
          messages.replaceChildren(statusLine(`Tag ${tag} deleted; garbage collection frees its content.`));
        } catch (error) {
          messages.replaceChildren(errorBox(error));
        }
      }),
    ]), 'No tags.'));
  }

  await show();
}
