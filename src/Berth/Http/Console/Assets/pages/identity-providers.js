import { api } from '../api.js';
import { details, errorBox, h, link, mono, segment, statusLine, table, when, yesNo } from '../dom.js';

export async function renderIdentityProviders(section) {
  section.append(h('h1', {}, 'Identity providers'));
  const providers = await api.get('/identity-providers');
  section.append(table(
    ['Name', 'Issuer', 'Audiences', 'Key source', 'Managed by'],
    providers.map(p => [
      link(`#/identity-providers/${segment(p.name)}`, p.name),
      mono(p.issuer),
      p.audiences.join(', '),
      mono(p.keySource),
      p.managedBy,
    ]),
    'No identity providers: add one in the configuration file or with berth idp add.'));
}

export async function renderIdentityProvider(section, [name]) {
  section.append(h('p', {}, link('#/identity-providers', '← Identity providers')), h('h1', {}, `Identity provider ${name}`));
  const provider = await api.get(`/identity-providers/${segment(name)}`);
  section.append(details([
    ['Issuer', mono(provider.issuer)],
    ['Audiences', provider.audiences.join(', ')],
    ['Key source', mono(provider.keySource)],
    ['Plain HTTP allowed', yesNo(provider.allowInsecureHttp)],
    ['Managed by', provider.managedBy],
  ]));

  const health = h('div');
  const messages = h('div');
  const refresh = h('button', { type: 'button' }, 'Refresh keys');
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    messages.replaceChildren();
    try {
      const refreshed = await api.post(`/identity-providers/${segment(name)}/refresh`);
      health.replaceChildren(keyHealth(refreshed.keys));
      messages.append(refreshed.keys && refreshed.keys.lastError
        ? errorBox(`refresh failed: ${refreshed.keys.lastError}`)
        : statusLine('Keys refreshed.'));
    } catch (error) {
      messages.append(errorBox(error));
    } finally {
      refresh.disabled = false;
    }
  });
  health.append(keyHealth(provider.keys));
  section.append(h('h2', {}, 'Key health'), health, h('div', { class: 'actions' }, refresh), messages);
}

function keyHealth(keys) {
  if (!keys) return h('p', { class: 'muted' }, 'No key cache yet: keys are fetched on the first token.');
  return details([
    ['Key ids', keys.keyIds.length ? h('ul', { class: 'plain' }, keys.keyIds.map(kid => h('li', { class: 'mono' }, kid || '(no kid)'))) : 'none'],
    ['Keys usable', h('span', { class: keys.keysUsable ? 'good' : 'bad' }, yesNo(keys.keysUsable))],
    ['Last fetch attempt', when(keys.lastFetchAttempt)],
    ['Last successful fetch', when(keys.lastSuccessfulFetch)],
    ['Last error', keys.lastError ? h('span', { class: 'bad' }, keys.lastError) : 'none'],
  ]);
}
