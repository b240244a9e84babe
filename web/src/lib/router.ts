// History routing over the same paths as the official app, so every link
// the server sends (activation, reset, /s/ redirects) opens the right page.
import { store, useStore } from './store';

export interface Location {
  path: string;
  query: URLSearchParams;
}

const read = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });
export const route = store<Location>(read());

addEventListener('popstate', () => route.set(read()));

export function navigate(to: string, replace = false) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  route.set(read());
}

export const useRoute = () => useStore(route);

export const homeURL = (uri: string) => '/home?path=' + encodeURIComponent(uri);

/** The sign-in page that returns to where the user was. */
export function signInURL(): string {
  const here = location.pathname + location.search;
  return here.startsWith('/session') ? '/session' : '/session?redirect=' + encodeURIComponent(here);
}
