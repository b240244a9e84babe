// Cloudreve file URIs: cloudreve://[id[:password]@]fs/path. Segments are
// escaped like encodeURIComponent, as the contract asks.

export interface ParsedURI {
  fs: string;
  id: string;
  password: string;
  segments: string[];
  query: string;
}

export function parseURI(uri: string): ParsedURI {
  const m = /^cloudreve:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]+)([^?]*)(?:\?(.*))?$/i.exec(uri);
  if (!m) return { fs: 'my', id: '', password: '', segments: [], query: '' };
  const segments = (m[4] || '').split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { fs: m[3].toLowerCase(), id: m[1] ?? '', password: m[2] ?? '', segments, query: m[5] ?? '' };
}

export function buildURI(p: Omit<ParsedURI, 'query'> & { query?: string }): string {
  const auth = p.id ? p.id + (p.password ? ':' + p.password : '') + '@' : '';
  const path = p.segments.map(encodeURIComponent).join('/');
  return 'cloudreve://' + auth + p.fs + (path ? '/' + path : '') + (p.query ? '?' + p.query : '');
}

export const childURI = (parent: string, name: string) => {
  const p = parseURI(parent);
  return buildURI({ ...p, segments: [...p.segments, name], query: '' });
};

export const parentURI = (uri: string) => {
  const p = parseURI(uri);
  return buildURI({ ...p, segments: p.segments.slice(0, -1), query: '' });
};

export const withoutQuery = (uri: string) => buildURI({ ...parseURI(uri), query: '' });

export const MY_ROOT = 'cloudreve://my';
export const TRASH_ROOT = 'cloudreve://trash';
