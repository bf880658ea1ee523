import { api } from '../api.js';
import { errorBox, h, link, mono, statusLine, table, when } from '../dom.js';
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
  section.append(messages, h('h2', {}, 'Tags'), list);
  // Repository names hold slashes: each component is escaped, the slashes stay.
  const path = name.split('/').map(encodeURIComponent).join('/');

  const manifestList = h('div');
  section.append(h('h2', {}, 'Manifests'), manifestList);

  // The manifests come a page at a time (digest order); `after` is the page's start, null for the first.
  let after = null;

  async function show() {
    await Promise.all([showTags(), showManifests()]);
  }

  function pageButton(label, start) {
    const button = h('button', { type: 'button' }, label);
    button.addEventListener('click', async () => {
      after = start;
      try {
        await showManifests();
      } catch (error) {
        messages.replaceChildren(errorBox(error));
      }
    });
    return button;
  }

  async function showManifests() {
    const query = new URLSearchParams({ repository: name });
    if (after) query.set('after', after);
    const answer = await api.get(`/manifests?${query}`);
    manifestList.replaceChildren(
      table(['Digest', 'Tags', 'Size', 'Media type', 'Platforms', 'Pushed', 'Referrers', 'Actions'], answer.manifests.map(m => [
        mono(m.digest),
        m.tags.length ? m.tags.join(', ') : h('span', { class: 'muted' }, 'untagged'),
        bytes(m.size),
        mono(m.artifactType ? `${m.mediaType} (${m.artifactType})` : m.mediaType),
        m.platforms ? (m.platforms.length ? m.platforms.join(', ') : '—') : h('span', { class: 'muted' }, 'image'),
        m.pushedAt ? [when(m.pushedAt), m.pushedBy ? [' by ', mono(m.pushedBy)] : ''] : h('span', { class: 'muted' }, 'not in the audit log'),
        m.referrers.length
          ? h('ul', { class: 'plain', 'aria-label': `Referrers of ${m.digest}` }, m.referrers.map(r => h('li', {}, mono(r.artifactType ?? r.mediaType), ' ', mono(r.digest))))
          : '—',
        confirmButton('Delete manifest', `Delete ${name}@${m.digest.slice(0, 19)}…${m.tags.length ? ` and its tags ${m.tags.join(', ')}` : ''}?`, 'Yes, delete manifest', async () => {
          try {
            await api.delete(`/manifests?repository=${encodeURIComponent(name)}&digest=${encodeURIComponent(m.digest)}`);
            await show();
            messages.replaceChildren(statusLine(`Manifest ${m.digest} deleted with its tags; garbage collection frees its content.`));
          } catch (error) {
            messages.replaceChildren(errorBox(error));
          }
        }),
      ]), 'No manifests.'),
      h('div', { class: 'actions' },
        after ? pageButton('First manifests', null) : '',
        answer.next ? pageButton('More manifests', answer.next) : ''),
      h('p', { class: 'muted' }, 'Every manifest, tagged or not (pushed by digest, an index\'s images, signatures), 100 a page. Pushed: the newest push the audit log still holds.'));
  }

  async function showTags() {
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

function bytes(size) {
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${value.toFixed(1)} ${units[unit]}`;
}
