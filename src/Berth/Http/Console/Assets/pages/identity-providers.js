import { api } from '../api.js';
import { details, errorBox, h, link, mono, segment, statusLine, table, when, yesNo } from '../dom.js';
import { confirmButton, field, FieldErrors } from '../forms.js';

// Starting points for the add form; every field stays editable (GitHub Enterprise, self-managed GitLab…).
const PRESETS = {
  github: { label: 'GitHub Actions', name: 'github', issuer: 'https://token.actions.githubusercontent.com', source: 'discovery' },
  gitlab: { label: 'GitLab CI', name: 'gitlab', issuer: 'https://gitlab.com', source: 'discovery' },
  forgejo: { label: 'Forgejo Actions', name: 'forgejo', issuer: 'https://codeberg.org/api/actions', source: 'discovery' },
  kubernetes: { label: 'Kubernetes', name: 'kubernetes', issuer: 'https://kubernetes.default.svc.cluster.local', source: 'jwks' },
  oidc: { label: 'Generic OIDC', name: '', issuer: '', source: 'discovery' },
};

const SOURCES = [
  ['discovery', 'OIDC discovery'],
  ['jwksUrl', 'JWKS URL'],
  ['jwks', 'Pasted JWKS'],
];

export async function renderIdentityProviders(section) {
  section.append(h('h1', {}, 'Identity providers'),
    h('div', { class: 'actions' }, link('#/identity-providers/new', 'Add identity provider')));
  const providers = await api.get('/identity-providers');
  section.append(table(
    ['Name', 'Issuer', 'Audiences', 'Key source', 'Keys', 'Managed by'],
    providers.map(p => [
      link(`#/identity-providers/${segment(p.name)}`, p.name),
      mono(p.issuer),
      p.audiences.join(', '),
      mono(p.keySource),
      keysBadge(p.keys),
      p.managedBy,
    ]),
    'No identity providers yet: add one here, in the configuration file or with berth idp add.'));
}

export async function renderIdentityProvider(section, [name], query) {
  section.append(h('p', {}, link('#/identity-providers', '← Identity providers')), h('h1', {}, `Identity provider ${name}`));
  const provider = await api.get(`/identity-providers/${segment(name)}`);
  const messages = h('div');
  if (query.get('saved')) messages.append(statusLine('Identity provider saved.'));
  section.append(messages, details([
    ['Issuer', mono(provider.issuer)],
    ['Audiences', provider.audiences.join(', ')],
    ['Key source', mono(provider.keySource)],
    ['Plain HTTP allowed', yesNo(provider.allowInsecureHttp)],
    ['Managed by', provider.managedBy],
  ]));

  if (provider.managedBy === 'config') {
    section.append(h('p', { class: 'note' }, 'Declared in the configuration file (managedBy: config): edit the file and restart Berth to change it.'));
  } else {
    section.append(h('div', { class: 'actions' },
      link(`#/identity-providers/${segment(name)}/edit`, 'Edit'),
      confirmButton('Delete', `Delete identity provider ${name}? Robots that trust it must go first.`, `Delete ${name}`, async () => {
        messages.replaceChildren();
        try {
          await api.delete(`/identity-providers/${segment(name)}`);
          location.hash = '#/identity-providers';
        } catch (error) {
          messages.append(errorBox(error));
        }
      })));
  }

  const health = h('div');
  const refreshMessages = h('div');
  const refresh = h('button', { type: 'button' }, 'Refresh keys');
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    refreshMessages.replaceChildren();
    try {
      const refreshed = await api.post(`/identity-providers/${segment(name)}/refresh`);
      health.replaceChildren(keyHealth(refreshed.keys));
      refreshMessages.append(refreshed.keys && refreshed.keys.lastError
        ? errorBox(`refresh failed: ${refreshed.keys.lastError}`)
        : statusLine('Keys refreshed.'));
    } catch (error) {
      refreshMessages.append(errorBox(error));
    } finally {
      refresh.disabled = false;
    }
  });
  health.append(keyHealth(provider.keys));
  section.append(h('h2', {}, 'Key health'), health, h('div', { class: 'actions' }, refresh), refreshMessages);
}

export async function renderNewIdentityProvider(section) {
  section.append(h('p', {}, link('#/identity-providers', '← Identity providers')), h('h1', {}, 'Add identity provider'));
  section.append(providerForm(null));
}

export async function renderEditIdentityProvider(section, [name]) {
  section.append(h('p', {}, link(`#/identity-providers/${segment(name)}`, `← ${name}`)), h('h1', {}, `Edit identity provider ${name}`));
  const provider = await api.get(`/identity-providers/${segment(name)}`);
  if (provider.managedBy === 'config') {
    section.append(h('p', { class: 'note' }, 'Declared in the configuration file (managedBy: config): edit the file and restart Berth to change it.'));
    return;
  }
  section.append(providerForm(provider));
}

// The view shows the key source as text ("discovery https://…", "jwks-url https://…", "static jwks"); the form needs it back.
function sourceOf(provider) {
  const text = provider.keySource;
  if (text.startsWith('jwks-url ')) return ['jwksUrl', text.slice('jwks-url '.length)];
  if (text.startsWith('discovery ')) return ['discovery', text.slice('discovery '.length)];
  return ['jwks', ''];
}

function providerForm(existing) {
  const preset = h('select', {}, Object.entries(PRESETS).map(([value, p]) => h('option', { value }, p.label)));
  const name = h('input', { name: 'name', required: true, autocomplete: 'off', value: existing?.name ?? 'github', disabled: !!existing });
  const issuer = h('input', { name: 'issuer', required: true, type: 'url', value: existing?.issuer ?? PRESETS.github.issuer });
  const audiences = h('input', { name: 'audiences', required: true, value: existing?.audiences.join(', ') ?? location.host });
  const source = h('select', { name: 'source' }, SOURCES.map(([value, label]) => h('option', { value }, label)));
  const discoveryUrl = h('input', { name: 'discoveryUrl', type: 'url', placeholder: 'issuer/.well-known/openid-configuration' });
  const jwksUrl = h('input', { name: 'jwksUrl', type: 'url' });
  const jwks = h('textarea', { name: 'jwks', spellcheck: 'false', placeholder: '{"keys": [ … ]}' });
  const insecure = h('input', { type: 'checkbox', name: 'allowInsecureHttp', checked: !!existing?.allowInsecureHttp });
  const general = h('div');
  const save = h('button', { type: 'submit' }, existing ? 'Save' : 'Add identity provider');

  const discoveryField = field('Discovery URL (optional)', discoveryUrl, 'discoveryUrl', 'Empty: the issuer\'s /.well-known/openid-configuration.');
  const jwksUrlField = field('JWKS URL', jwksUrl, 'jwksUrl');
  const jwksField = field('JWKS', jwks, 'jwks', 'The issuer\'s public keys, e.g. kubectl get --raw /openid/v1/jwks for a private cluster.');
  const showSource = () => {
    discoveryField.hidden = source.value !== 'discovery';
    jwksUrlField.hidden = source.value !== 'jwksUrl';
    jwksField.hidden = source.value !== 'jwks';
  };
  source.addEventListener('change', showSource);

  if (existing) {
    const [kind, url] = sourceOf(existing);
    source.value = kind;
    if (kind === 'discovery' && url !== `${existing.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`) discoveryUrl.value = url;
    if (kind === 'jwksUrl') jwksUrl.value = url;
    if (kind === 'jwks') jwks.value = existing.jwks ?? '';
  } else {
    source.value = PRESETS.github.source;
    preset.addEventListener('change', () => {
      const chosen = PRESETS[preset.value];
      name.value = chosen.name;
      issuer.value = chosen.issuer;
      source.value = chosen.source;
      showSource();
    });
  }
  showSource();

  const form = h('form', { class: 'wide', 'aria-label': existing ? 'Edit identity provider' : 'Add identity provider', novalidate: true },
    existing ? null : field('Preset', preset, null, 'Fills the issuer and key source; change anything.'),
    field('Name', name, 'name'),
    field('Issuer', issuer, 'issuer', 'Compared exactly with the token\'s iss claim.'),
    field('Audiences', audiences, 'audiences', 'Comma-separated; the token\'s aud must name one (usually this registry\'s host).'),
    field('Key source', source, null),
    discoveryField, jwksUrlField, jwksField,
    h('div', { class: 'checks', 'data-field': 'allowInsecureHttp' },
      h('label', {}, insecure, 'Allow plain HTTP key fetches (loopback tests only)'),
      h('p', { class: 'field-error', hidden: true })),
    general,
    h('div', { class: 'actions' }, save));

  const errors = new FieldErrors(form, general);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = {
      name: name.value.trim(),
      issuer: issuer.value.trim(),
      audiences: audiences.value.split(/[,\s]+/).map(a => a.trim()).filter(Boolean),
      allowInsecureHttp: insecure.checked,
    };
    if (source.value === 'discovery' && discoveryUrl.value.trim()) body.discoveryUrl = discoveryUrl.value.trim();
    if (source.value === 'jwksUrl') body.jwksUrl = jwksUrl.value.trim();
    if (source.value === 'jwks') body.jwks = jwks.value.trim();
    save.disabled = true;
    errors.clear();
    try {
      const saved = existing
        ? await api.put(`/identity-providers/${segment(existing.name)}`, body)
        : await api.post('/identity-providers', body);
      location.hash = `#/identity-providers/${segment(saved.name)}?saved=${Date.now()}`;
    } catch (error) {
      errors.show(error);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function keysBadge(keys) {
  if (!keys) return h('span', { class: 'muted' }, 'not fetched yet');
  if (!keys.keysUsable) return h('span', { class: 'badge bad' }, 'failing');
  return h('span', { class: keys.lastError ? 'badge warning' : 'badge good' }, `${keys.keyIds.length} key${keys.keyIds.length === 1 ? '' : 's'}`);
}

function age(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (seconds < 90) return ` (${seconds} s ago)`;
  if (seconds < 5400) return ` (${Math.round(seconds / 60)} min ago)`;
  return ` (${Math.round(seconds / 3600)} h ago)`;
}

function keyHealth(keys) {
  if (!keys) return h('p', { class: 'muted' }, 'No key cache yet: keys are fetched on the first token.');
  return details([
    ['Key ids', keys.keyIds.length ? h('ul', { class: 'plain' }, keys.keyIds.map(kid => h('li', { class: 'mono' }, kid || '(no kid)'))) : 'none'],
    ['Keys usable', h('span', { class: keys.keysUsable ? 'good' : 'bad' }, yesNo(keys.keysUsable))],
    ['Last fetch attempt', when(keys.lastFetchAttempt)],
    ['Last successful fetch', [when(keys.lastSuccessfulFetch), age(keys.lastSuccessfulFetch)]],
    ['Last error', keys.lastError ? h('span', { class: 'bad' }, keys.lastError) : 'none'],
  ]);
}
