// One message catalogue per language. English ships in the main bundle;
// other languages load on demand. The user's language setting wins over the
// browser's.
import en from './en';
import { NetworkError } from '../api/client';
import { store, useStore } from '../lib/store';

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const languages: { code: string; name: string }[] = [
  { code: 'en-US', name: 'English' },
  { code: 'zh-CN', name: '简体中文' },
];

const loaders: Record<string, () => Promise<Catalogue>> = {
  'zh-CN': () => import('./zh-CN').then((m) => m.default),
};

let messages: Catalogue = en;
export const locale = store('en-US');

/** Picks the supported language closest to a requested tag. */
export function resolveLanguage(tag: string | undefined | null): string {
  const t = (tag || '').toLowerCase();
  if (t.startsWith('zh')) return 'zh-CN';
  return 'en-US';
}

export async function setLanguage(tag: string | undefined | null) {
  const code = resolveLanguage(tag);
  messages = loaders[code] ? await loaders[code]() : en;
  document.documentElement.lang = code;
  localStorage.setItem('stratus.lang', code);
  locale.set(code);
}

export const initialLanguage = () => localStorage.getItem('stratus.lang') || navigator.language;

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  let s = messages[key] ?? en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
  return s;
}

/** Re-renders the caller when the language changes. */
export const useLocale = () => useStore(locale);

/** The translated message for an API error code, else the server's own text. */
export function errorMessage(e: unknown): string {
  const err = e as { code?: number; message?: string; name?: string };
  if (e instanceof NetworkError) return t('error.network');
  if (typeof err?.code === 'number') {
    const key = ('code.' + err.code) as MessageKey;
    if (key in en) return t(key);
    return err.message || t('error.generic');
  }
  return err?.message || t('error.generic');
}
