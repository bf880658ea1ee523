import { api } from '../api.js';
import { details, errorBox, h, link, mono, segment, statusLine, table, yesNo } from '../dom.js';
import { confirmButton } from '../forms.js';

export async function renderRobots(section) {
  section.append(h('h1', {}, 'Robots'), h('div', { class: 'actions' }, link('#/robots/new', 'New robot')));
  const robots = await api.get('/robots');
  section.append(table(
    ['Name', 'Kind', 'Identity provider', 'Enabled', 'Managed by', 'Lint warnings'],
    robots.map(r => [
      link(`#/robots/${segment(r.name)}`, r.name),
      r.kind,
      r.identityProvider ?? '—',
      yesNo(r.enabled),
      r.managedBy,
      warnings(r.warnings),
    ]),
    'No robots yet.'));
}

export async function renderRobot(section, [name], query) {
  section.append(h('p', {}, link('#/robots', '← Robots')), h('h1', {}, `Robot ${name}`));
  const body = h('div');
  section.append(body);
  show(body, await api.get(`/robots/${segment(name)}`), query.get('saved') ? statusLine('Robot saved.') : null);
}

function show(body, robot, notice) {
  const messages = h('div');
  if (notice) messages.append(notice);
  const run = async (button, request, done) => {
    button.disabled = true;
    messages.replaceChildren();
    try {
      done(await request());
    } catch (error) {
      messages.append(errorBox(error));
      button.disabled = false;
    }
  };

  const toggle = h('button', { type: 'button', class: robot.enabled ? 'secondary' : '' }, robot.enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () => run(toggle,
    () => api.post(`/robots/${segment(robot.name)}/${robot.enabled ? 'disable' : 'enable'}`),
    changed => show(body, changed, statusLine(changed.enabled ? 'Robot enabled.' : 'Robot disabled: its tokens stop working on their next request.'))));

  const rotate = h('button', { type: 'button', class: 'secondary' }, 'Rotate secret');
  rotate.addEventListener('click', () => run(rotate,
    () => api.post(`/robots/${segment(robot.name)}/rotate-secret`),
    changed => show(body, changed, secretBox(changed.secret, 'Secret rotated: the old one no longer works.'))));

  const remove = confirmButton('Delete', `Delete robot ${robot.name}? Its tokens stop working at once.`, `Delete ${robot.name}`, async () => {
    messages.replaceChildren();
    try {
      await api.delete(`/robots/${segment(robot.name)}`);
      location.hash = '#/robots';
    } catch (error) {
      messages.append(errorBox(error));
    }
  });

  // A config-managed robot is read-only here: offering Disable would only earn a 409.
  const actions = robot.managedBy === 'config'
    ? h('p', { class: 'note' }, 'Declared in the configuration file (managedBy: config): edit the file and restart Berth to change it.')
    : h('div', { class: 'actions' }, link(`#/robots/${segment(robot.name)}/edit`, 'Edit'), toggle, robot.kind === 'classic' ? rotate : null, remove);
  body.replaceChildren(
    details([
      ['Kind', robot.kind],
      ['Identity provider', robot.identityProvider ?? '—'],
      ['Enabled', h('span', { class: robot.enabled ? 'good' : 'bad' }, yesNo(robot.enabled))],
      ['Managed by', robot.managedBy],
      ['Refresh token lifetime', robot.refreshTokenLifetime],
    ]),
    actions,
    messages,
    h('h2', {}, 'Lint warnings'),
    robot.warnings && robot.warnings.length ? warnings(robot.warnings) : h('p', { class: 'muted' }, 'None.'),
    h('h2', {}, 'Claim rules'),
    table(['Claim', 'Operator', 'Value'], robot.rules.map(rule => {
      const [operator, value] = ruleOf(rule);
      return [mono(rule.claim), operator, mono(value)];
    }), robot.kind === 'classic' ? 'A classic robot logs in with its secret; it has no claim rules.' : 'No rules: this robot never matches.'),
    h('h2', {}, 'Permissions'),
    table(['Project', 'Repositories', 'Actions'], robot.permissions.map(p => [p.project, mono(p.repositories), p.actions.join(', ')]), 'No permissions.'));
}

/** A classic robot's secret, shown once: Berth keeps only its hash. */
export function secretBox(secret, text) {
  return h('div', { role: 'status', class: 'note' },
    h('p', {}, text, ' Copy it now: it is shown only once.'),
    h('p', { class: 'secret', 'aria-label': 'Robot secret' }, secret));
}

export function ruleOf(rule) {
  if (rule.equals != null) return ['equals', rule.equals];
  if (rule.glob != null) return ['glob', rule.glob];
  if (rule.regex != null) return ['regex', rule.regex];
  if (rule.in != null) return ['in', rule.in.join(', ')];
  return ['?', ''];
}

export function warnings(list) {
  if (!list || list.length === 0) return '';
  return h('ul', { class: 'plain warning' }, list.map(w => h('li', {}, h('strong', {}, w.code), ': ', w.message)));
}
