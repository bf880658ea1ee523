import { api } from '../api.js';
import { details, errorBox, h, link, mono, segment, statusLine, table, yesNo } from '../dom.js';

export async function renderRobots(section) {
  section.append(h('h1', {}, 'Robots'));
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

export async function renderRobot(section, [name]) {
  section.append(h('p', {}, link('#/robots', '← Robots')), h('h1', {}, `Robot ${name}`));
  const body = h('div');
  section.append(body);
  show(body, await api.get(`/robots/${segment(name)}`));
}

function show(body, robot, notice) {
  const messages = h('div');
  if (notice) messages.append(notice);
  const toggle = h('button', { type: 'button', class: robot.enabled ? 'secondary' : '' }, robot.enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', async () => {
    toggle.disabled = true;
    messages.replaceChildren();
    try {
      const changed = await api.post(`/robots/${segment(robot.name)}/${robot.enabled ? 'disable' : 'enable'}`);
      show(body, changed, statusLine(changed.enabled ? 'Robot enabled.' : 'Robot disabled: its tokens stop working on their next request.'));
    } catch (error) {
      messages.append(errorBox(error));
      toggle.disabled = false;
    }
  });

  body.replaceChildren(
    details([
      ['Kind', robot.kind],
      ['Identity provider', robot.identityProvider ?? '—'],
      ['Enabled', h('span', { class: robot.enabled ? 'good' : 'bad' }, yesNo(robot.enabled))],
      ['Managed by', robot.managedBy],
      ['Refresh token lifetime', robot.refreshTokenLifetime],
    ]),
    h('div', { class: 'actions' }, toggle),
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

function ruleOf(rule) {
  if (rule.equals != null) return ['equals', rule.equals];
  if (rule.glob != null) return ['glob', rule.glob];
  if (rule.regex != null) return ['regex', rule.regex];
  if (rule.in != null) return ['in', rule.in.join(', ')];
  return ['?', ''];
}

function warnings(list) {
  if (!list || list.length === 0) return '';
  return h('ul', { class: 'plain warning' }, list.map(w => h('li', {}, h('strong', {}, w.code), ': ', w.message)));
}
