// The admin API (/api/v4/admin/*, 60-admin): database rows as JSON, zero
// fields omitted, plain integer IDs, and one list request for every list.
import { client } from '../api';

export interface Pagination {
  page: number;
  page_size: number;
  total_items?: number;
}

export interface ListRequest {
  page: number;
  page_size: number;
  order_by?: string;
  order_direction?: 'asc' | 'desc';
  conditions?: Record<string, string>;
}

export interface Policy {
  id?: number;
  name?: string;
  type?: string;
  max_size?: number;
  dir_name_rule?: string;
  file_name_rule?: string;
  settings?: Record<string, unknown>;
  node_id?: number;
  entities_count?: number;
  entities_size?: number;
  edges?: { groups?: Group[] };
}

export interface Group {
  id?: number;
  name?: string;
  max_storage?: number;
  speed_limit?: number;
  permissions?: string;
  settings?: Record<string, unknown>;
  storage_policy_id?: number;
  total_users?: number;
  edges?: { storage_policies?: Policy };
}

export interface User {
  id?: number;
  email?: string;
  nick?: string;
  status?: string;
  storage?: number;
  group_users?: number;
  created_at?: string;
  two_fa_enabled?: boolean;
  capacity?: { total: number; used: number };
  edges?: { group?: Group };
}

export interface FileRow {
  id: number;
  name?: string;
  size?: number;
  owner_id?: number;
  created_at?: string;
  edges?: { owner?: User };
}

export interface Entity {
  id: number;
  type?: number;
  source?: string;
  size?: number;
  reference_count?: number;
  created_at?: string;
  edges?: { user?: User; storage_policy?: Policy };
}

export interface ShareRow {
  id: number;
  views?: number;
  downloads?: number;
  share_link?: string;
  created_at?: string;
  edges?: { file?: FileRow; user?: User };
}

export interface Node {
  id?: number;
  name?: string;
  type?: string;
  status?: string;
  server?: string;
  slave_key?: string;
  capabilities?: string;
  settings?: Record<string, unknown>;
  weight?: number;
  edges?: { storage_policy?: Policy[] };
}

export interface QueueMetric {
  name: string;
  busy_workers: number;
  success_tasks: number;
  failure_tasks: number;
  submitted_tasks: number;
  suspending_tasks: number;
}

export interface AuditEntry {
  id: number;
  created_at: string;
  actor_id?: number;
  actor_email?: string;
  action: string;
  target_type?: string;
  target_id?: string;
  before?: unknown;
  after?: unknown;
  ip?: string;
}

export interface AbuseReport {
  id: number;
  created_at: string;
  category: number;
  description?: string;
  share_id?: number;
  reported_user_id?: number;
  reporter_id?: number;
  file_uri?: string;
  ip?: string;
}

export interface Summary {
  metrics_summary: null | {
    dates: string[];
    files: number[];
    users: number[];
    shares: number[];
    file_total: number;
    user_total: number;
    share_total: number;
    entities_total: number;
    generated_at: string;
  };
  site_urls: string[];
  version: { version: string };
}

export type Page<T> = { items: T[]; pagination: Pagination };

const post = <R>(path: string, body?: unknown) => client.request<R>('/admin' + path, { method: 'POST', body });
const put = <R>(path: string, body: unknown) => client.request<R>('/admin' + path, { method: 'PUT', body });
const del = (path: string) => client.request<void>('/admin' + path, { method: 'DELETE' });
const get = <R>(path: string, query?: Record<string, string>) => client.request<R>('/admin' + path, { query });

/** Posts a list request and returns the items under key. */
async function list<T>(path: string, key: string, req: ListRequest): Promise<Page<T>> {
  const r = await post<Record<string, unknown>>(path, req);
  return { items: (r[key] as T[] | null) ?? [], pagination: r.pagination as Pagination };
}

export const admin = {
  summary: (generate: boolean) => get<Summary>('/summary', generate ? { generate: 'true' } : undefined),
  settings: (keys: string[]) => post<Record<string, string>>('/settings', { keys }),
  patchSettings: (settings: Record<string, string>) =>
    client.request<Record<string, string>>('/admin/settings', { method: 'PATCH', body: { settings } }),

  groups: (req: ListRequest) => list<Group>('/group', 'groups', req),
  saveGroup: (g: Group) => (g.id ? put<Group>('/group/' + g.id, { group: g }) : put<Group>('/group', { group: g })),
  deleteGroup: (id: number) => del('/group/' + id),

  users: (req: ListRequest) => list<User>('/user', 'users', req),
  user: (id: number) => get<User>('/user/' + id),
  saveUser: (u: User, password: string) =>
    u.id ? put<User>('/user/' + u.id, { user: u, password }) : put<User>('/user', { user: u, password }),
  deleteUsers: (ids: number[]) => post<void>('/user/batch/delete', { ids }),
  calibrate: (id: number) => post<User>('/user/' + id + '/calibrate'),

  files: (req: ListRequest) => list<FileRow>('/file', 'files', req),
  fileURL: (id: number) => get<string>('/file/url/' + id),
  deleteFiles: (ids: number[]) => post<void>('/file/batch/delete', { ids }),

  entities: (req: ListRequest) => list<Entity>('/entity', 'entities', req),
  entityURL: (id: number) => get<string>('/entity/url/' + id),
  deleteEntities: (ids: number[], force: boolean) => post<void>('/entity/batch/delete', { ids, force }),

  shares: (req: ListRequest) => list<ShareRow>('/share', 'shares', req),
  deleteShares: (ids: number[]) => post<void>('/share/batch/delete', { ids }),

  policies: (req: ListRequest) => list<Policy>('/policy', 'policies', req),
  policy: (id: number) => get<Policy>('/policy/' + id, { countEntity: 'true' }),
  savePolicy: (p: Policy) => (p.id ? put<Policy>('/policy/' + p.id, { policy: p }) : put<Policy>('/policy', { policy: p })),
  deletePolicy: (id: number) => del('/policy/' + id),

  nodes: (req: ListRequest) => list<Node>('/node', 'nodes', req),
  saveNode: (n: Node) => (n.id ? put<Node>('/node/' + n.id, { node: n }) : put<Node>('/node', { node: n })),
  deleteNode: (id: number) => del('/node/' + id),
  testNode: (n: Node) => post<void>('/node/test', { node: n }),

  queueMetrics: () => get<QueueMetric[]>('/queue/metrics'),

  testMail: (to: string, settings: Record<string, string>) => post<void>('/tool/mail', { to, settings }),
  flushCaches: () => del('/tool/entityUrlCache'),

  audit: (req: ListRequest) => list<AuditEntry>('/audit', 'logs', req),
  abuseReports: (req: ListRequest) => list<AbuseReport>('/abuse', 'reports', req),
  dismissReports: (ids: number[]) => post<void>('/abuse/batch/delete', { ids }),
};
