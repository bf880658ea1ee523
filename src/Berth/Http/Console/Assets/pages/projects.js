import { api } from '../api.js';
import { errorBox, h, segment, statusLine, table } from '../dom.js';
import { confirmButton, field, FieldErrors } from '../forms.js';

/** Projects: the first path component of repository names; a public one lets anyone pull. */
export async function renderProjects(section) {
  section.append(h('h1', {}, 'Projects'));
  const messages = h('div', { 'aria-live': 'polite' });
  const list = h('div');
  section.append(addForm(messages, () => show()), messages, list);

  async function show(notice) {
    const projects = await api.get('/projects');
    list.replaceChildren(table(
      ['Name', 'Visibility', 'Managed by', 'Actions'],
      projects.map(p => [
        h('span', { class: 'mono' }, p.name),
        p.public ? h('span', { class: 'badge good' }, 'public') : h('span', { class: 'badge' }, 'private'),
        p.managedBy,
        p.managedBy === 'config' ? h('span', { class: 'muted' }, 'read-only: declared in the configuration file') : actions(p),
      ]),
      'No projects yet: add one above.'));
    messages.replaceChildren(...(notice ? [notice] : []));
  }

  function actions(project) {
    const visibility = h('button', { type: 'button', class: 'secondary', 'aria-label': `Make ${project.name} ${project.public ? 'private' : 'public'}` },
      project.public ? 'Make private' : 'Make public');
    visibility.addEventListener('click', async () => {
      visibility.disabled = true;
      try {
        const changed = await api.put(`/projects/${segment(project.name)}`, { public: !project.public });
        await show(statusLine(`Project ${changed.name} is now ${changed.public ? 'public: anyone may pull' : 'private'}.`));
      } catch (error) {
        messages.replaceChildren(errorBox(error));
        visibility.disabled = false;
      }
    });
    const remove = confirmButton(`Delete ${project.name}`, `Delete project ${project.name}?`, `Yes, delete ${project.name}`, async () => {
      try {
        await api.delete(`/projects/${segment(project.name)}`);
        await show(statusLine(`Project ${project.name} deleted.`));
      } catch (error) {
        messages.replaceChildren(errorBox(error));
      }
    });
    return h('span', { class: 'actions' }, visibility, remove);
  }

  await show();
}

function addForm(messages, refresh) {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off', placeholder: 'library' });
  const isPublic = h('input', { type: 'checkbox', name: 'public' });
  const general = h('div');
  const add = h('button', { type: 'submit' }, 'Add project');
  const form = h('form', { class: 'filters', 'aria-label': 'Add project', novalidate: true },
    field('Project name', name, 'name'),
    h('div', { class: 'checks' }, h('label', {}, isPublic, 'Public (anyone may pull)')),
    add, general);
  const errors = new FieldErrors(form, general);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    add.disabled = true;
    errors.clear();
    try {
      const created = await api.post('/projects', { name: name.value.trim(), public: isPublic.checked });
      name.value = '';
      isPublic.checked = false;
      await refresh();
      messages.replaceChildren(statusLine(`Project ${created.name} added.`));
    } catch (error) {
      errors.show(error);
    } finally {
      add.disabled = false;
    }
  });
  return form;
}
