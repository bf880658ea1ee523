// The admin API client. The admin token lives in sessionStorage only: it dies with the tab, is
// never sent by the browser on its own (no cookie), and is not shared with other tabs (no localStorage).

const SESSION_KEY = 'berth.console.session';
const TOKEN_LIFETIME = '8h';

export class ApiError extends Error {
  constructor(status, messages) {
    super(messages.join('; '));
    this.status = status;
    this.messages = messages;
  }
}

export function currentSession() {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
}

function basic(username, password) {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return 'Basic ' + btoa(binary);
}

function randomSuffix() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function messagesOf(response, body) {
  if (body && Array.isArray(body.errors) && body.errors.length > 0) return body.errors.map(String);
  if (body && typeof body.title === 'string') return [body.detail ? `${body.title}: ${body.detail}` : body.title];
  return [`${response.status} ${response.statusText || 'error'}`.trim()];
}

async function call(method, path, { body, authorization } = {}) {
  const session = currentSession();
  const headers = { Accept: 'application/json' };
  const auth = authorization ?? (session ? `Bearer ${session.token}` : null);
  if (auth) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, [`cannot reach Berth: ${error.message}`]);
  }

  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, messagesOf(response, data));
    // The session's token expired or was revoked elsewhere: back to the sign-in page, saying why.
    if (response.status === 401 && !authorization && session) {
      sessionStorage.removeItem(SESSION_KEY);
      window.dispatchEvent(new CustomEvent('berth:signed-out', { detail: error }));
    }
    throw error;
  }
  return data;
}

export const api = {
  get: path => call('GET', path),
  post: (path, body) => call('POST', path, { body }),
  put: (path, body) => call('PUT', path, { body }),
  delete: path => call('DELETE', path),
};

/** Trades the administrator password for a short-lived admin token named console-…; the password is not kept. */
export async function signIn(username, password) {
  const created = await call('POST', '/tokens', {
    body: { name: `console-${randomSuffix()}`, expiresIn: TOKEN_LIFETIME },
    authorization: basic(username, password),
  });
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({
    token: created.token,
    name: created.name,
    username,
    expiresAt: created.expiresAt,
  }));
}

/** Revokes the console's token on the server, then forgets it, even when the revocation fails. */
export async function signOut() {
  const session = currentSession();
  if (!session) return;
  try {
    await call('DELETE', `/tokens/${encodeURIComponent(session.name)}`);
  } finally {
    sessionStorage.removeItem(SESSION_KEY);
  }
}
