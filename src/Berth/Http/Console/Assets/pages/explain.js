import { api } from '../api.js';
import { errorBox, h, mono, table } from '../dom.js';

/** Pastes a workload token or a claims document and shows, per robot and per rule, what held and what did not. */
export async function renderExplain(section) {
  section.append(h('h1', {}, 'Explain'),
    h('p', { class: 'muted' }, 'Why does (or doesn\'t) a token match a robot? A token is validated with the live keys; a claims document is checked against the rules only.'));

  const robots = await api.get('/robots');
  const asClaims = h('input', { type: 'radio', name: 'input', value: 'claims', checked: true });
  const asToken = h('input', { type: 'radio', name: 'input', value: 'token' });
  const input = h('textarea', { name: 'document', spellcheck: 'false', placeholder: '{"iss": "https://token.actions.githubusercontent.com", "sub": "repo:…"}' });
  const robot = h('select', { name: 'robot' },
    h('option', { value: '' }, 'every robot'),
    robots.map(r => h('option', { value: r.name }, r.name)));
  const button = h('button', { type: 'submit' }, 'Explain');
  const result = h('div', { 'aria-live': 'polite' });

  const form = h('form', { class: 'wide', 'aria-label': 'Explain' },
    h('fieldset', {}, h('legend', {}, 'Input'),
      h('label', {}, asClaims, ' Claims (JSON object)'), ' ',
      h('label', {}, asToken, ' Token (JWT)')),
    h('label', {}, 'Token or claims', input),
    h('label', {}, 'Robot ', robot),
    h('div', {}, button));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    result.replaceChildren();
    const request = {};
    if (robot.value) request.robot = robot.value;
    if (asToken.checked) {
      request.token = input.value.trim();
    } else {
      try {
        request.claims = JSON.parse(input.value);
      } catch (error) {
        result.append(errorBox(`claims: not valid JSON: ${error.message}`));
        return;
      }
    }
    button.disabled = true;
    try {
      showResult(result, await api.post('/explain', request));
    } catch (error) {
      result.append(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  section.append(form, result);
}

// The outcome is the registry's verdict (the token service's own decision), never inferred from the robot cards.
function showResult(result, answer) {
  const robots = answer.explanation.robots;
  const matched = answer.outcome === 'matched';
  result.append(
    h('p', { class: answer.rejection ? 'error' : 'muted', role: answer.rejection ? 'alert' : null }, answer.verdict),
    h('p', {}, h('strong', { class: matched ? 'good' : 'bad' }, matched ? 'Result: matched' : `Result: refused (${answer.rejection})`)),
    ...(robots.length === 0 ? [h('p', { class: 'muted' }, 'No robots to check.')] : robots.map(robotCard)));
}

function robotCard(robot) {
  return h('article', { class: 'robot', 'aria-label': `robot ${robot.robot}` },
    h('h3', {}, robot.robot, ' ',
      h('span', { class: `badge ${robot.matched ? 'good' : 'bad'}` }, robot.matched ? 'MATCHED' : 'no match'), ' ',
      h('span', { class: 'muted' }, robot.identityProvider ? `identity provider ${robot.identityProvider}` : 'classic')),
    robot.note ? h('p', { class: 'muted' }, robot.note) : null,
    robot.considered ? table(['Claim', 'Operator', 'Expected', 'Found', 'Verdict'], robot.rules.map(rule => [
      mono(rule.claim),
      rule.operator,
      mono(rule.expected.length === 1 ? rule.expected[0] : `[${rule.expected.join(', ')}]`),
      rule.found == null ? h('span', { class: 'muted' }, '(missing)') : mono(rule.found),
      h('span', { class: rule.matched ? 'good' : 'bad' }, rule.matched ? 'holds' : 'fails'),
    ]), 'No rules.') : null,
    robot.permissions.length ? h('p', {}, 'Grants: ', robot.permissions.map(p => `${p.project}/${p.repositories} ${p.actions.join(',')}`).join('; ')) : null,
    robot.droppedPermissions.length ? h('p', { class: 'warning' }, 'Dropped permissions: ', robot.droppedPermissions.join('; ')) : null);
}
