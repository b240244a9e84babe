// The API areas, one function per endpoint the app uses.
import { Client, localTokenStore } from './client';
import type * as T from './types';

export const client = new Client({ tokens: localTokenStore() });

const get = <R>(path: string, query?: Record<string, string | number | boolean | undefined>) =>
  client.request<R>(path, { query });
const send = <R>(method: string, path: string, body?: unknown) => client.request<R>(path, { method, body });

export const site = {
  config: (section: 'basic' | 'login' | 'explorer') => get<T.SiteConfig & T.LoginConfig>('/site/config/' + section),
  captcha: () => get<{ image: string; ticket: string }>('/site/captcha'),
};

export const session = {
  signIn: (body: { email: string; password: string; captcha?: string; ticket?: string }) =>
    client.request<T.LoginResponse | string>('/session/token', { method: 'POST', body, anonymous: true, allowContinue: true }),
  twoFactor: (session_id: string, otp: string) =>
    client.request<T.LoginResponse>('/session/token/2fa', { method: 'POST', body: { session_id, otp }, anonymous: true }),
  signOut: (refresh_token: string) =>
    client.request<string>('/session/token', { method: 'DELETE', body: { refresh_token }, anonymous: true }),
};

export const user = {
  signUp: (body: { email: string; password: string; language?: string; captcha?: string; ticket?: string }) =>
    client.request<T.User | undefined>('/user', { method: 'POST', body, anonymous: true, allowContinue: true }),
  activate: (id: string, sign: string) => client.request<T.User>('/user/activate/' + encodeURIComponent(id), { query: { sign }, anonymous: true }),
  requestReset: (body: { email: string; captcha?: string; ticket?: string }) => client.request<void>('/user/reset', { method: 'POST', body, anonymous: true }),
  reset: (id: string, secret: string, password: string) =>
    client.request<T.User>('/user/reset/' + encodeURIComponent(id), { method: 'PATCH', body: { secret, password }, anonymous: true }),
  me: () => get<T.User>('/user/me'),
  capacity: () => get<{ total: number; used: number }>('/user/capacity'),
  settings: () => get<T.UserSettings>('/user/setting'),
  patchSettings: (body: Record<string, unknown>) => send<void>('PATCH', '/user/setting', body),
  prepare2FA: () => get<string>('/user/setting/2fa'),
  setAvatar: (file: Blob) =>
    client.request<void>('/user/setting/avatar', { method: 'PUT', raw: file, headers: { 'Content-Type': file.type || 'image/png' } }),
  avatarURL: (id: string, bust = '') => client.url('/user/avatar/' + id, { nocache: bust ? 'true' : undefined, v: bust }),
};

export interface ListQuery {
  uri: string;
  page_size?: number;
  order_by?: string;
  order_direction?: string;
  next_page_token?: string;
}

export const files = {
  list: (q: ListQuery, signal?: AbortSignal) => client.request<T.ListResponse>('/file', { query: { ...q }, signal }),
  info: (uri: string, extended = false, folder_summary = false) =>
    get<T.FileItem>('/file/info', { uri, extended: extended || undefined, folder_summary: folder_summary || undefined }),
  create: (uri: string, type: 'file' | 'folder', err_on_conflict = true) =>
    send<T.FileItem>('POST', '/file/create', { uri, type, err_on_conflict }),
  createShortcut: (uri: string, type: 'file' | 'folder', redirect: string, owner: string) =>
    send<T.FileItem>('POST', '/file/create', {
      uri, type, err_on_conflict: true, metadata: { 'sys:shared_redirect': redirect, 'sys:shared_owner': owner },
    }),
  rename: (uri: string, new_name: string) => send<T.FileItem>('POST', '/file/rename', { uri, new_name }),
  move: (uris: string[], dst: string, copy: boolean) => send<void>('POST', '/file/move', { uris, dst, copy }),
  remove: (uris: string[], skip_soft_delete = false) => send<void>('DELETE', '/file', { uris, skip_soft_delete }),
  restore: (uris: string[]) => send<void>('POST', '/file/restore', { uris }),
  emptyTrash: () => send<void>('DELETE', '/file/trash'),
  pin: (uri: string, name?: string) => send<void>('PUT', '/file/pin', { uri, name }),
  unpin: (uri: string) => send<void>('DELETE', '/file/pin', { uri }),
  saveView: (uri: string, view: T.ExplorerView) => send<void>('PATCH', '/file/view', { uri, view }),
  urls: (uris: string[], opts: { download?: boolean; archive?: boolean; entity?: string } = {}) =>
    send<{ urls: { url: string }[]; expires: string | null }>('POST', '/file/url', { uris, ...opts }),
  thumb: (uri: string) => get<{ url: string }>('/file/thumb', { uri }),
  setVersion: (uri: string, version: string) => send<void>('POST', '/file/version/current', { uri, version }),
  deleteVersion: (uri: string, version: string) => send<void>('DELETE', '/file/version', { uri, version }),
  createUpload: (body: { uri: string; size: number; last_modified?: number; mime_type?: string; entity_type?: string }) =>
    send<T.UploadSession>('PUT', '/file/upload', body),
  cancelUpload: (id: string, uri: string) => send<void>('DELETE', '/file/upload', { id, uri }),
  createDirectLinks: (uris: string[]) => send<{ link: string; file_url: string }[]>('PUT', '/file/source', { uris }),
  deleteDirectLink: (id: string) => send<void>('DELETE', '/file/source/' + encodeURIComponent(id)),
  patchMetadata: (uris: string[], patches: T.MetadataPatch[]) => send<void>('PATCH', '/file/metadata', { uris, patches }),
  putContent: (uri: string, body: Blob) =>
    client.request<T.FileItem>('/file/content', { method: 'PUT', query: { uri }, raw: body, headers: { 'Content-Type': 'application/octet-stream' } }),
};

export interface ShareOptions {
  is_private?: boolean;
  password?: string;
  downloads?: number;
  expire?: number;
}

export const shares = {
  create: (uri: string, o: ShareOptions) => send<string>('PUT', '/share', { uri, ...o }),
  edit: (id: string, uri: string, o: ShareOptions) => send<string>('POST', '/share/' + encodeURIComponent(id), { uri, ...o }),
  list: (next_page_token?: string) =>
    get<{ shares: T.Share[] | null; pagination: T.Pagination }>('/share', { page_size: 50, next_page_token, order_direction: 'desc' }),
  remove: (id: string) => send<void>('DELETE', '/share/' + encodeURIComponent(id)),
  info: (id: string, password?: string, count_views = false, owner_extended = false) =>
    get<T.Share>('/share/info/' + encodeURIComponent(id), { password, count_views: count_views || undefined, owner_extended: owner_extended || undefined }),
};

export const dav = {
  list: (next_page_token?: string) =>
    get<{ accounts: T.DavAccount[] | null; pagination: T.Pagination }>('/devices/dav', { page_size: 50, next_page_token }),
  create: (body: { uri: string; name: string; readonly: boolean }) => send<T.DavAccount>('PUT', '/devices/dav', body),
  remove: (id: string) => send<void>('DELETE', '/devices/dav/' + encodeURIComponent(id)),
};
