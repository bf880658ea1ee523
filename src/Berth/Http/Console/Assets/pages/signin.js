import { signIn } from '../api.js';
import { errorBox, h } from '../dom.js';

/** The administrator's username and password buy an 8-hour admin token; the password is not stored. */
export function renderSignIn(section, { notice, onSignedIn }) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, value: 'admin' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const messages = h('div');
  if (notice) messages.append(errorBox(notice));

  const form = h('form', { class: 'stack', 'aria-label': 'Sign in' },
    h('label', {}, 'Username', username),
    h('label', {}, 'Password', password),
    button,
    messages);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    button.disabled = true;
    messages.replaceChildren();
    try {
      await signIn(username.value, password.value);
      password.value = '';
      onSignedIn();
    } catch (error) {
      messages.replaceChildren(errorBox(error));
      button.disabled = false;
    }
  });

  section.append(
    h('h1', {}, 'Sign in to Berth'),
    h('p', { class: 'muted' }, 'Use the administrator account. The console keeps an 8-hour admin token in this tab only.'),
    form,
    h('p', {}, h('a', { href: '#/public' }, 'Browse public repositories without signing in')));
  password.focus();
}
