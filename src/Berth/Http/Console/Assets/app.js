// The console shell: a hash router (#/robots/NAME) over pages that each render into a fresh section,
// so a slow answer for a page already left never overwrites the page now shown.
import { currentSession, signOut } from './api.js';
import { errorBox, h } from './dom.js';
import { renderSignIn } from './pages/signin.js';
import { renderIdentityProviders, renderIdentityProvider, renderNewIdentityProvider, renderEditIdentityProvider } from './pages/identity-providers.js';
import { renderProjects } from './pages/projects.js';
import { renderOverview } from './pages/overview.js';
import { renderRepositories, renderRepository } from './pages/repositories.js';
import { renderRobots, renderRobot } from './pages/robots.js';
import { renderNewRobot, renderEditRobot } from './pages/robot-editor.js';
import { renderAudit } from './pages/audit.js';
import { renderExplain } from './pages/explain.js';
import { renderTroubleshooting } from './pages/troubleshooting.js';
import { renderPublic } from './pages/public.js';

const routes = [
  [/^\/overview$/, renderOverview],
  [/^\/identity-providers$/, renderIdentityProviders],
  [/^\/identity-providers\/new$/, renderNewIdentityProvider],
  [/^\/identity-providers\/([^/]+)\/edit$/, renderEditIdentityProvider],
  [/^\/identity-providers\/([^/]+)$/, renderIdentityProvider],
  [/^\/projects$/, renderProjects],
  [/^\/robots$/, renderRobots],
  [/^\/robots\/new$/, renderNewRobot],
  [/^\/robots\/([^/]+)\/edit$/, renderEditRobot],
  [/^\/robots\/([^/]+)$/, renderRobot],
  [/^\/repositories$/, renderRepositories],
  [/^\/repositories\/(.+)$/, renderRepository],
  [/^\/audit$/, renderAudit],
  [/^\/explain$/, renderExplain],
  [/^\/troubleshooting\/(.+)$/, renderTroubleshooting],
];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');

function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/identity-providers';
  const [path, query = ''] = hash.split('?', 2);
  return { path, query: new URLSearchParams(query) };
}

function showChrome(session) {
  nav.hidden = !session;
  who.hidden = !session;
  signOutButton.hidden = !session;
  who.textContent = session ? `signed in as ${session.username}` : '';
}

function markCurrent(path) {
  for (const a of nav.querySelectorAll('a')) {
    const target = a.getAttribute('href').slice(1);
    a.classList.toggle('current', path === target || path.startsWith(target + '/'));
    if (a.classList.contains('current')) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

async function render(notice) {
  const session = currentSession();
  showChrome(session);
  const section = h('section');
  view.replaceChildren(section);
  // The public view needs no sign-in: it reads only what anonymous pulls already reveal.
  if (parseHash().path === '/public') {
    markCurrent('/public');
    try {
      await renderPublic(section, !!session);
    } catch (error) {
      section.append(errorBox(error));
    }
    return;
  }
  if (!session) {
    markCurrent('');
    renderSignIn(section, { notice, onSignedIn: () => render() });
    return;
  }

  const { path, query } = parseHash();
  markCurrent(path);
  for (const [pattern, page] of routes) {
    const match = pattern.exec(path);
    if (match) {
      const params = match.slice(1).map(decodeURIComponent);
      try {
        await page(section, params, query);
      } catch (error) {
        section.append(errorBox(error));
      }
      return;
    }
  }
  section.append(h('h1', {}, 'Not found'), h('p', {}, 'No console page at ', h('span', { class: 'mono' }, path), '.'));
}

signOutButton.addEventListener('click', async () => {
  signOutButton.disabled = true;
  let notice = null;
  try {
    await signOut();
  } catch (error) {
    notice = error; // the local session is gone anyway; say the revocation failed
  } finally {
    signOutButton.disabled = false;
  }
  render(notice);
});

window.addEventListener('hashchange', () => render());
window.addEventListener('berth:signed-out', event => render(event.detail));
render();
