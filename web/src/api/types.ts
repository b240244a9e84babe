// Wire shapes of the objects the app reads (see the API contract).

export interface Group {
  id: string;
  name: string;
  permission?: string;
  direct_link_batch_size?: number;
  trash_retention?: number;
}

export interface User {
  id: string;
  email?: string;
  nickname: string;
  status?: string;
  avatar?: string;
  created_at: string;
  anonymous?: boolean;
  group?: Group;
  pined?: { uri: string; name?: string }[];
  language?: string;
  disable_view_sync?: boolean;
}

export interface LoginResponse {
  user: User;
  token: import('./client').TokenPair;
}

export interface StoragePolicy {
  id: string;
  name: string;
  type: string;
  max_size: number;
  allowed_suffix?: string[];
  denied_suffix?: string[];
  relay?: boolean;
  chunk_concurrency?: number;
}

export interface Entity {
  id: string;
  size: number;
  type: number;
  created_at: string;
  created_by?: User;
}

export interface DirectLink {
  id: string;
  url: string;
  downloaded: number;
  created_at: string;
}

export interface FileItem {
  type: 0 | 1;
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  size: number;
  metadata: Record<string, string> | null;
  path: string;
  shared?: boolean;
  capability?: string;
  owned?: boolean;
  primary_entity?: string;
  extended_info?: {
    storage_used: number;
    shares?: Share[];
    entities?: Entity[];
    direct_links?: DirectLink[];
  };
  folder_summary?: { size: number; files: number; folders: number; completed: boolean };
}

export interface ExplorerView {
  page_size?: number;
  order?: string;
  order_direction?: 'asc' | 'desc';
  view?: 'list' | 'grid' | 'gallery';
  thumbnail?: boolean;
  gallery_width?: number;
}

export interface Pagination {
  page: number;
  page_size: number;
  total_items?: number;
  next_token?: string;
  is_cursor?: boolean;
}

export interface ListResponse {
  files: FileItem[];
  parent: FileItem;
  pagination: Pagination;
  props: { capability: string; max_page_size: number; order_by_options: string[] | null };
  context_hint: string;
  mixed_type: boolean;
  single_file_view?: boolean;
  storage_policy?: StoragePolicy;
  view?: ExplorerView;
}

export interface UploadSession {
  session_id: string;
  chunk_size: number;
  expires: number;
  uri: string;
  storage_policy: StoragePolicy;
  upload_urls?: string[];
  credential?: string;
  completeURL?: string;
}

export interface Share {
  id: string;
  name?: string;
  source_type?: number;
  owner: User;
  created_at: string;
  url: string;
  visited: number;
  expired: boolean;
  unlocked: boolean;
  password_protected?: boolean;
  size: number;
  downloaded?: number;
  remain_downloads?: number;
  expires?: string;
  password?: string;
  is_private?: boolean;
  source_uri?: string;
}

export interface DavAccount {
  id: string;
  created_at: string;
  name: string;
  uri: string;
  password: string;
  options: string;
}

export interface SiteConfig {
  title?: string;
  user: User;
  captcha_type?: string;
}

export interface LoginConfig {
  login_captcha?: boolean;
  reg_captcha?: boolean;
  forget_captcha?: boolean;
  register_enabled?: boolean;
}

export interface UserSettings {
  two_fa_enabled: boolean;
  passwordless: boolean;
  version_retention_enabled: boolean;
  version_retention_max?: number;
}

// One change of PATCH /file/metadata: upsert key=value, or remove the key.
export interface MetadataPatch {
  key: string;
  value?: string;
  remove?: boolean;
}
