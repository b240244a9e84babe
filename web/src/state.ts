// Session-wide state: who is signed in, their capacity, the network, the
// theme, and the toasts. Each is a small store.
import { client, session as sessionAPI, user as userAPI } from './api';
import type { TokenPair } from './api/client';
import type { LoginResponse, User } from './api/types';
import { initialLanguage, setLanguage } from './i18n';
import { navigate, signInURL } from './lib/router';
import { store } from './lib/store';

/** undefined while loading, null when signed out. */
export const me = store<User | null | undefined>(undefined);
export const capacity = store<{ total: number; used: number } | null>(null);
export const offline = store(false);

export interface Toast {
  id: number;
  text: string;
  kind?: 'error' | 'ok';
  action?: { label: string; run: () => void };
}
export const toasts = store<Toast[]>([]);
let toastId = 0;
export function toast(text: string, kind: Toast['kind'] = 'ok', action?: Toast['action']) {
  const id = ++toastId;
  toasts.set((ts) => [...ts.slice(-3), { id, text, kind, action }]);
  setTimeout(() => toasts.set((ts) => ts.filter((x) => x.id !== id)), action ? 8000 : 5000);
}

export type Theme = 'system' | 'light' | 'dark';
export const theme = store<Theme>((localStorage.getItem('stratus.theme') as Theme) || 'system');
theme.subscribe((v) => {
  localStorage.setItem('stratus.theme', v);
  applyTheme();
});
export function applyTheme() {
  const v = theme.get();
  if (v === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = v;
}

export const isAdmin = (u: User | null | undefined) => {
  const p = u?.group?.permission;
  if (!p) return false;
  try {
    return (atob(p).charCodeAt(0) & 1) === 1;
  } catch {
    return false;
  }
};

// Network and sign-out events from the API client.
client.listen({ onNetwork: (o) => offline.set(o), onSignedOut: () => signedOut(true) });

function signedOut(returnHere: boolean) {
  if (me.get() === null) return;
  me.set(null);
  capacity.set(null);
  if (!location.pathname.startsWith('/session') && !isPublicPage()) navigate(returnHere ? signInURL() : '/session', true);
}

/** Pages an anonymous visitor may see: shares and the account-recovery links. */
export function isPublicPage() {
  const q = new URLSearchParams(location.search);
  return location.pathname === '/home' && /@share/i.test(q.get('path') || '');
}

// Another tab signed out (the token vanished from storage) or in.
addEventListener('storage', (e) => {
  if (e.key !== 'stratus.token') return;
  if (!e.newValue) signedOut(false);
  else if (!me.get()) void loadMe();
});

export async function loadMe() {
  if (!client.tokens.get()) {
    me.set(null);
    return;
  }
  try {
    const u = await userAPI.me();
    me.set(u);
    if (u.language) await setLanguage(u.language);
    void refreshCapacity();
  } catch {
    me.set(null);
  }
}

export async function refreshCapacity() {
  try {
    capacity.set(await userAPI.capacity());
  } catch {
    /* the bar simply stays as it was */
  }
}

export async function bootstrap() {
  await setLanguage(initialLanguage());
  applyTheme();
  await loadMe();
}

export async function signedIn(r: LoginResponse) {
  client.tokens.set(r.token as TokenPair);
  me.set(r.user);
  if (r.user.language) await setLanguage(r.user.language);
  void refreshCapacity();
}

export async function signOut() {
  const t = client.tokens.get();
  client.tokens.set(null);
  if (t) await sessionAPI.signOut(t.refresh_token).catch(() => undefined);
  me.set(null);
  navigate('/session');
}
