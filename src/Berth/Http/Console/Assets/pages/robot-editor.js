// The robot editor: name, kind, identity provider, a rules editor and a permissions editor, with the
// live rule tester beside it. The tester sends the pasted token (or claims) and the unsaved robot to
// POST /explain only; the token is kept in this page's memory, never in storage or the address bar.
// Lint warnings follow the typing too: the unsaved robot goes to POST /robots/lint (which saves nothing)
// and each warning is shown beside the rule or permission it is about.
import { api } from '../api.js';
import { errorBox, h, link, mono, segment } from '../dom.js';
import { claimPaths, claimsOf, field, FieldErrors, uid } from '../forms.js';
import { ruleOf, secretBox } from './robots.js';

const OPERATORS = ['equals', 'glob', 'regex', 'in'];
const ACTIONS = ['pull', 'push', 'delete'];

// Rules a careful engineer writes for each source, pinned to immutable ids (as `berth robot add --preset`).
const PRESETS = {
  'github-repo': { label: 'github-repo (GitHub repository)', claims: ['repository_owner_id', 'repository_id', 'repository'] },
  'gitlab-project': { label: 'gitlab-project (GitLab project)', claims: ['namespace_id', 'project_id', 'project_path'] },
  'kubernetes-serviceaccount': { label: 'kubernetes-serviceaccount (service account)', claims: ['sub', 'aud'] },
};

export async function renderNewRobot(section) {
  section.append(h('p', {}, link('#/robots', '← Robots')), h('h1', {}, 'New robot'));
  const [providers, projects] = await Promise.all([api.get('/identity-providers'), api.get('/projects')]);
  section.append(editor(section, null, providers, projects));
}

export async function renderEditRobot(section, [name]) {
  section.append(h('p', {}, link(`#/robots/${segment(name)}`, `← ${name}`)), h('h1', {}, `Edit robot ${name}`));
  const [robot, providers, projects] = await Promise.all([api.get(`/robots/${segment(name)}`), api.get('/identity-providers'), api.get('/projects')]);
  if (robot.managedBy === 'config') {
    section.append(h('p', { class: 'note' }, 'Declared in the configuration file (managedBy: config): edit the file and restart Berth to change it.'));
    return;
  }
  section.append(editor(section, robot, providers, projects));
}

function editor(section, existing, providers, projects) {
  const state = {
    rules: (existing?.rules ?? []).map(rule => { const [operator, value] = ruleOf(rule); return { claim: rule.claim, operator, value }; }),
    permissions: (existing?.permissions ?? []).map(p => ({ project: p.project, repositories: p.repositories, actions: [...p.actions] })),
  };
  if (!existing) {
    state.rules.push({ claim: '', operator: 'equals', value: '' });
    state.permissions.push({ project: projects[0]?.name ?? '', repositories: '**', actions: ['pull'] });
  }

  const name = h('input', { name: 'name', required: true, autocomplete: 'off', value: existing?.name ?? '', disabled: !!existing });
  const federated = h('input', { type: 'radio', name: 'kind', value: 'federated', checked: existing?.kind !== 'classic', disabled: !!existing });
  const classic = h('input', { type: 'radio', name: 'kind', value: 'classic', checked: existing?.kind === 'classic', disabled: !!existing });
  const provider = h('select', { name: 'identityProvider' }, providers.map(p => h('option', { value: p.name, selected: p.name === existing?.identityProvider }, p.name)));
  const claimList = h('datalist', { id: uid('claims') });
  const rulesList = h('div');
  const permissionsList = h('div');
  const general = h('div');
  const save = h('button', { type: 'submit' }, existing ? 'Save robot' : 'Create robot');
  const tester = testerPanel(() => draft(), claims => fillClaimList(claims));
  const lintGeneral = h('div', { class: 'lint', 'aria-live': 'polite' });
  const lint = linter(skip => lintDraft(skip), show);

  const addRule = h('button', { type: 'button', class: 'secondary' }, 'Add rule');
  addRule.addEventListener('click', () => {
    state.rules.push({ claim: '', operator: 'equals', value: '' });
    renderRules();
    rulesList.querySelector('.row:last-child input')?.focus();
    changed();
  });
  const addPermission = h('button', { type: 'button', class: 'secondary' }, 'Add permission');
  addPermission.addEventListener('click', () => {
    state.permissions.push({ project: projects[0]?.name ?? '', repositories: '**', actions: ['pull'] });
    renderPermissions();
    permissionsList.querySelector('.row:last-child select')?.focus();
    changed();
  });

  const preset = h('select', {}, h('option', { value: '' }, 'choose a preset'), Object.entries(PRESETS).map(([value, p]) => h('option', { value }, p.label)));
  const presetError = h('p', { class: 'field-error', hidden: true, role: 'alert' });
  const fill = h('button', { type: 'button', class: 'secondary' }, 'Fill rules from the tester\'s token');
  fill.addEventListener('click', () => {
    presetError.hidden = true;
    const chosen = PRESETS[preset.value];
    const claims = claimsOf(tester.input.value);
    const problem = !chosen ? 'choose a preset first'
      : !claims ? 'paste a token or claims into the tester first: the preset pins the ids it carries'
        : chosen.claims.filter(c => claims[c] == null).map(c => `the token has no ${c} claim`).join('; ');
    if (problem) {
      presetError.textContent = problem;
      presetError.hidden = false;
      return;
    }
    state.rules = chosen.claims.map(c => ({ claim: c, operator: 'equals', value: String(Array.isArray(claims[c]) ? claims[c][0] : claims[c]) }));
    renderRules();
    changed();
  });

  const federatedPart = h('div', {},
    field('Identity provider', provider, 'identityProvider', providers.length ? null : 'No identity providers yet: add one first.'),
    h('h2', {}, 'Claim rules'),
    h('p', { class: 'muted' }, 'Every rule must hold. Claim paths are dotted (kubernetes.io.namespace); glob * stays within one / or : segment, ** crosses them; in takes a comma-separated list.'),
    h('div', { class: 'row' }, field('Preset', preset, null), fill, presetError),
    h('div', { 'data-field': 'rules' }, h('p', { class: 'field-error', hidden: true }), rulesList),
    h('div', { class: 'actions' }, addRule));
  const showKind = () => { federatedPart.hidden = classic.checked; tester.panel.hidden = classic.checked; };
  federated.addEventListener('change', () => { showKind(); changed(); });
  classic.addEventListener('change', () => { showKind(); changed(); });
  provider.addEventListener('change', changed);

  const form = h('form', { class: 'wide', 'aria-label': existing ? 'Edit robot' : 'New robot', novalidate: true },
    field('Name', name, 'name', existing ? null : 'Lowercase letters, digits and dashes, e.g. ci-push.'),
    h('fieldset', { 'data-field': 'secretHash' }, h('legend', {}, 'Kind'),
      h('div', { class: 'checks' },
        h('label', {}, federated, 'Federated (workload tokens of an identity provider)'),
        h('label', {}, classic, 'Classic (a secret, shown once)')),
      h('p', { class: 'field-error', hidden: true })),
    federatedPart,
    h('h2', {}, 'Permissions'),
    h('div', { 'data-field': 'permissions' }, h('p', { class: 'field-error', hidden: true }), permissionsList),
    h('div', { class: 'actions' }, addPermission),
    lintGeneral,
    general,
    h('div', { class: 'actions' }, save),
    claimList);
  const errors = new FieldErrors(form, general);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    save.disabled = true;
    errors.clear();
    const body = request();
    try {
      const saved = existing
        ? await api.put(`/robots/${segment(existing.name)}`, body)
        : await api.post('/robots', body);
      if (saved.secret) {
        section.replaceChildren(h('h1', {}, `Robot ${saved.name} created`),
          secretBox(saved.secret, `Robot ${saved.name} logs in with username ${saved.name} and this secret.`),
          h('p', {}, link(`#/robots/${segment(saved.name)}`, `Go to robot ${saved.name}`)));
        return;
      }
      location.hash = `#/robots/${segment(saved.name)}?saved=${Date.now()}`;
    } catch (error) {
      errors.show(error);
    } finally {
      save.disabled = false;
    }
  });

  function request() {
    const isClassic = classic.checked;
    return {
      name: existing?.name ?? name.value.trim(),
      identityProvider: isClassic ? null : provider.value || null,
      rules: isClassic ? [] : state.rules.map(toRule),
      permissions: state.permissions.map(p => ({ project: p.project, repositories: p.repositories, actions: p.actions })),
      enabled: existing ? existing.enabled : true,
      refreshTokenLifetime: existing?.refreshTokenLifetime ?? null,
      secret: !existing && isClassic,
    };
  }

  // The tester's robot: rows still being typed are left out, and each rule remembers its row.
  function draft() {
    if (classic.checked) return null;
    const rows = [];
    const rules = [];
    state.rules.forEach((rule, index) => {
      if (rule.claim.trim() && (rule.value.trim() || rule.operator === 'equals')) {
        rows.push(index);
        rules.push(toRule(rule));
      }
    });
    const permissions = state.permissions.filter(p => p.project && p.repositories && p.actions.length);
    return {
      robot: { name: (existing?.name ?? name.value.trim()) || 'draft', identityProvider: provider.value || null, rules, permissions, secret: false },
      rows,
      show: (verdicts) => state.rules.forEach((_, index) => {
        const slot = rulesList.children[index]?.querySelector('.verdict');
        if (!slot) return;
        const at = rows.indexOf(index);
        slot.replaceChildren(...(verdicts && at >= 0 && verdicts[at] ? verdictOf(verdicts[at]) : []));
      }),
    };
  }

  function changed() {
    tester.schedule();
    lint.schedule();
  }

  // Complete rows only, as for the tester, less the skipped ones (page rows the API refused); rows and
  // permissionRows map the API's indexes back to the page's rows.
  function lintDraft(skip = { rules: [], permissions: [] }) {
    const isClassic = classic.checked;
    const rows = [];
    const rules = [];
    if (!isClassic) {
      state.rules.forEach((rule, index) => {
        if (rule.claim.trim() && (rule.value.trim() || rule.operator === 'equals') && !skip.rules.includes(index)) {
          rows.push(index);
          rules.push(toRule(rule));
        }
      });
    }
    const permissionRows = [];
    const permissions = [];
    state.permissions.forEach((p, index) => {
      if (p.project && p.repositories.trim() && p.actions.length && !skip.permissions.includes(index)) {
        permissionRows.push(index);
        permissions.push({ project: p.project, repositories: p.repositories.trim(), actions: p.actions });
      }
    });
    // An existing robot keeps its name, so it is not reported as a duplicate of itself.
    const robot = { name: existing?.name ?? 'draft', identityProvider: isClassic ? null : provider.value || null, rules, permissions, secret: isClassic };
    return { robot, rows, permissionRows };
  }

  // Each warning (or refusal of the draft) beside its rule or permission; the rest below the permissions.
  function show(answer) {
    const slots = { rules: [...rulesList.children].map(row => row.querySelector('.lint')), permissions: [...permissionsList.children].map(row => row.querySelector('.lint')) };
    const byRule = new Map();
    const byPermission = new Map();
    const general = [];
    const add = (map, index, node) => { if (index != null && index >= 0) map.set(index, [...(map.get(index) ?? []), node]); else general.push(node); };
    for (const warning of answer.warnings) {
      const node = h('li', {}, h('strong', {}, warning.code), ': ', warning.message);
      if (warning.rule != null) add(byRule, answer.linted.rows[warning.rule], node);
      else if (warning.permission != null) add(byPermission, answer.linted.permissionRows[warning.permission], node);
      else general.push(node);
    }
    for (const { message, rule, permission } of answer.refusals) {
      const node = h('li', { class: 'bad' }, message);
      if (rule != null) add(byRule, rule, node);
      else add(byPermission, permission, node);
    }
    slots.rules.forEach((slot, index) => slot?.replaceChildren(...(byRule.has(index) ? [h('ul', { class: 'plain', 'aria-label': 'Lint warnings' }, byRule.get(index))] : [])));
    slots.permissions.forEach((slot, index) => slot?.replaceChildren(...(byPermission.has(index) ? [h('ul', { class: 'plain', 'aria-label': 'Lint warnings' }, byPermission.get(index))] : [])));
    lintGeneral.replaceChildren(...(general.length ? [h('h2', {}, 'Lint warnings'), h('ul', { class: 'plain warning', 'aria-label': 'Lint warnings' }, general)] : []));
  }

  function fillClaimList(claims) {
    claimList.replaceChildren(...claimPaths(claims).map(([path, value]) => h('option', { value: path }, value)));
  }

  function renderRules() {
    rulesList.replaceChildren(...state.rules.map((rule, index) => {
      const claim = h('input', { value: rule.claim, autocomplete: 'off', spellcheck: 'false', list: claimList.id, placeholder: 'repository_id' });
      const operator = h('select', {}, OPERATORS.map(o => h('option', { value: o, selected: o === rule.operator }, o)));
      const value = h('input', { value: rule.value, autocomplete: 'off', spellcheck: 'false' });
      const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove rule ${index + 1}` }, 'Remove');
      claim.addEventListener('input', () => { rule.claim = claim.value; changed(); });
      operator.addEventListener('change', () => { rule.operator = operator.value; changed(); });
      value.addEventListener('input', () => { rule.value = value.value; changed(); });
      remove.addEventListener('click', () => { state.rules.splice(index, 1); renderRules(); changed(); addRule.focus(); });
      return h('div', { class: 'row', role: 'group', 'aria-label': `Rule ${index + 1}`, 'data-field': `rules[${index}]` },
        labelled('Claim', claim), labelled('Operator', operator), labelled('Value', value), remove,
        h('p', { class: 'verdict', 'aria-live': 'polite' }),
        h('div', { class: 'lint warning', 'aria-live': 'polite' }),
        h('p', { class: 'field-error', hidden: true }));
    }));
  }

  function renderPermissions() {
    const names = ['*', ...projects.map(p => p.name)];
    permissionsList.replaceChildren(...state.permissions.map((permission, index) => {
      const key = `permissions[${index}]`;
      const options = names.includes(permission.project) ? names : [...names, permission.project];
      const project = h('select', {}, options.map(n => h('option', { value: n, selected: n === permission.project }, n)));
      const repositories = h('input', { value: permission.repositories, autocomplete: 'off', spellcheck: 'false' });
      const actions = ACTIONS.map(action => {
        const box = h('input', { type: 'checkbox', checked: permission.actions.includes(action) });
        box.addEventListener('change', () => {
          permission.actions = ACTIONS.filter((a, i) => actions[i].box.checked);
          changed();
        });
        return { box, label: h('label', {}, box, action) };
      });
      const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove permission ${index + 1}` }, 'Remove');
      project.addEventListener('change', () => { permission.project = project.value; changed(); });
      repositories.addEventListener('input', () => { permission.repositories = repositories.value; changed(); });
      remove.addEventListener('click', () => { state.permissions.splice(index, 1); renderPermissions(); changed(); addPermission.focus(); });
      return h('div', { class: 'row', role: 'group', 'aria-label': `Permission ${index + 1}`, 'data-field': key },
        field('Project', project, `${key}.project`),
        field('Repositories', repositories, `${key}.repositories`),
        h('fieldset', { class: 'checks', 'data-field': `${key}.actions` }, h('legend', {}, 'Actions'), actions.map(a => a.label), h('p', { class: 'field-error', hidden: true })),
        remove,
        h('div', { class: 'lint warning', 'aria-live': 'polite' }),
        h('p', { class: 'field-error', hidden: true }));
    }));
  }

  renderRules();
  renderPermissions();
  showKind();
  lint.run();
  return h('div', { class: 'editor' }, form, tester.panel);
}

function labelled(text, input) {
  input.id = uid();
  return h('div', { class: 'field' }, h('label', { for: input.id }, text), input);
}

function toRule(rule) {
  const value = rule.value.trim();
  const claim = rule.claim.trim();
  if (rule.operator === 'in') return { claim, in: value.split(',').map(v => v.trim()).filter(Boolean) };
  return { claim, [rule.operator]: rule.operator === 'equals' ? rule.value : value };
}

/**
 * Lints the robot being written, 400 ms after the last change; an answer older than the newest request is
 * dropped. When the API refuses a row (a regex that does not compile), that row shows the refusal and the
 * rest is linted again without it, so the other rows keep their warnings while one is being fixed.
 */
function linter(draftOf, show) {
  let timer = null;
  let sequence = 0;
  async function run() {
    const current = ++sequence;
    let linted = draftOf();
    let warnings = [];
    const refusals = [];
    try {
      warnings = await api.post('/robots/lint', linted.robot);
    } catch (error) {
      // Anything but a refused draft (network, 401) is for Save to report.
      if (error.status !== 400) return;
      for (const message of error.messages) {
        // "robots[draft].rules[2].value: …": only refusals about one row are shown while typing; Save shows the rest.
        const rule = /\.rules\[(\d+)\]/.exec(message);
        const permission = /\.permissions\[(\d+)\]/.exec(message);
        // Shown in the row itself, so the "robots[x].rules[2]: " prefix would only repeat where it is.
        const text = message.replace(/^[A-Za-z]+\[[^\]]*\]\.(rules|permissions)\[\d+\][\w.]*:\s*/, '');
        if (rule) refusals.push({ message: text, rule: linted.rows[Number(rule[1])] });
        else if (permission) refusals.push({ message: text, permission: linted.permissionRows[Number(permission[1])] });
      }
      if (refusals.length === 0) return;
      linted = draftOf({ rules: refusals.map(r => r.rule).filter(i => i != null), permissions: refusals.map(r => r.permission).filter(i => i != null) });
      try {
        warnings = await api.post('/robots/lint', linted.robot);
      } catch {
        warnings = [];
      }
    }
    if (current === sequence) show({ linted, warnings, refusals });
  }
  return {
    run,
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 400);
    },
  };
}

function verdictOf(rule) {
  return [
    h('span', { class: `badge ${rule.matched ? 'good' : 'bad'}` }, rule.matched ? 'holds' : 'fails'), ' found ',
    rule.found == null ? h('span', { class: 'muted' }, '(missing)') : mono(rule.found),
  ];
}

/** The live rule tester: a pasted token or claims document against the robot as it is being written. */
function testerPanel(draftOf, onClaims) {
  const input = h('textarea', { spellcheck: 'false', autocomplete: 'off', placeholder: 'eyJhbGciOi… or {"sub": "…"}' });
  const result = h('div', { 'aria-live': 'polite' });
  const panel = h('aside', { class: 'tester', 'aria-label': 'Rule tester' },
    h('h2', {}, 'Rule tester'),
    h('p', { class: 'muted' }, 'Paste a workload token (validated with the live keys) or its claims (rules only). It goes to the explain endpoint only and is never stored.'),
    field('Token or claims to test', input, null),
    result);
  let timer = null;
  let sequence = 0;

  async function run() {
    const current = ++sequence;
    const text = input.value.trim();
    const draft = draftOf();
    if (!text || !draft) {
      result.replaceChildren();
      draft?.show(null);
      return;
    }
    const claims = claimsOf(text);
    if (claims) onClaims(claims);
    const body = { draft: draft.robot };
    if (text.startsWith('{')) {
      if (!claims) {
        result.replaceChildren(errorBox('claims: not a valid JSON object'));
        return;
      }
      body.claims = claims;
    } else {
      body.token = text;
    }
    try {
      const answer = await api.post('/explain', body);
      if (current !== sequence) return; // a newer edit is already on its way
      const robot = answer.explanation.robots[0];
      draft.show(robot?.considered ? robot.rules : null);
      result.replaceChildren(...summary(answer, robot));
    } catch (error) {
      if (current !== sequence) return;
      draft.show(null);
      result.replaceChildren(errorBox(error));
    }
  }

  input.addEventListener('input', () => schedule());
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }
  return { panel, input, schedule };
}

function summary(answer, robot) {
  const matched = answer.outcome === 'matched';
  const nodes = [
    h('p', {}, h('strong', { class: matched ? 'good' : 'bad' }, matched ? 'Result: matched' : `Result: refused${answer.rejection ? ` (${answer.rejection})` : ''}`)),
    h('p', { class: 'muted' }, answer.verdict),
  ];
  if (robot?.note) nodes.push(h('p', { class: 'muted' }, robot.note));
  if (robot?.considered && robot.rules.length) {
    nodes.push(h('ul', { class: 'plain', 'aria-label': 'Rule verdicts' }, robot.rules.map(rule =>
      h('li', {}, mono(rule.claim), ' ', rule.operator, ' ', mono(rule.expected.join(', ')), ': ', verdictOf(rule)))));
  }
  if (matched && robot) {
    nodes.push(h('p', {}, 'Would get: ', robot.permissions.length
      ? robot.permissions.map(p => `${p.project}/${p.repositories} ${p.actions.join(',')}`).join('; ')
      : 'no permissions'));
  }
  if (robot?.droppedPermissions?.length) nodes.push(h('p', { class: 'warning' }, 'Dropped permissions: ', robot.droppedPermissions.join('; ')));
  return nodes;
}
