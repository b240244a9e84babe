// One typed client for /api/v4: it unwraps the envelope into data or an
// ApiError, attaches the access token, and refreshes it (once for all tabs)
// before it expires or when the server answers 401.

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  access_expires: string;
  refresh_expires: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
    readonly aggregated?: Record<string, { code: number; msg: string }>,
  ) {
    super(message);
  }
}

/** A request that never reached the server (offline, DNS, reset). */
export class NetworkError extends Error {}

export const PREFIX = '/api/v4';
const STORAGE_KEY = 'stratus.token';

/** Where tokens live: memory, mirrored to localStorage so that tabs share them. */
export interface TokenStore {
  get(): TokenPair | null;
  set(t: TokenPair | null): void;
}

export function localTokenStore(storage: Storage = localStorage): TokenStore {
  let memo: TokenPair | null | undefined;
  return {
    get() {
      // Another tab may have refreshed: storage is the truth, memory a cache.
      const raw = storage.getItem(STORAGE_KEY);
      if (memo && raw && JSON.parse(raw).access_token === memo.access_token) return memo;
      memo = raw ? (JSON.parse(raw) as TokenPair) : null;
      return memo;
    },
    set(t) {
      memo = t;
      if (t) storage.setItem(STORAGE_KEY, JSON.stringify(t));
      else storage.removeItem(STORAGE_KEY);
    },
  };
}

/** Runs fn while holding a lock shared by every tab of this origin. */
export type LockFn = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export const webLock: LockFn = (name, fn) =>
  typeof navigator !== 'undefined' && navigator.locks
    ? (navigator.locks.request(name, fn) as Promise<Awaited<ReturnType<typeof fn>>>)
    : fn();

export interface ClientOptions {
  fetch?: typeof fetch;
  tokens: TokenStore;
  lock?: LockFn;
  now?: () => number;
  /** Called when the session is gone for good (refresh refused). */
  onSignedOut?: () => void;
  /** Called with true when a request fails at the network, false when one succeeds again. */
  onNetwork?: (offline: boolean) => void;
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  raw?: BodyInit;
  headers?: Record<string, string>;
  /** No Authorization header (sign-in, refresh, sign-out). */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** Resolve code 203 as data instead of failing (sign-in with 2FA, sign-up with activation). */
  allowContinue?: boolean;
}

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

export class Client {
  private readonly fetchFn: typeof fetch;
  private readonly lock: LockFn;
  private readonly now: () => number;
  private refreshing: Promise<TokenPair | null> | null = null;

  constructor(private readonly opt: ClientOptions) {
    this.fetchFn = opt.fetch ?? ((...a) => fetch(...a));
    this.lock = opt.lock ?? webLock;
    this.now = opt.now ?? Date.now;
  }

  /** Sets the session and network callbacks (the app wires them at start). */
  listen(handlers: Pick<ClientOptions, 'onSignedOut' | 'onNetwork'>) {
    Object.assign(this.opt, handlers);
  }

  get tokens(): TokenStore {
    return this.opt.tokens;
  }

  url(path: string, query?: RequestOptions['query']): string {
    let u = PREFIX + path;
    if (query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
      const s = q.toString();
      if (s) u += '?' + s;
    }
    return u;
  }

  async request<T>(path: string, o: RequestOptions = {}): Promise<T> {
    const hadSession = !o.anonymous && this.opt.tokens.get() !== null;
    let token = o.anonymous ? null : await this.freshToken();
    let res = await this.send(path, o, token);
    if (res.code === 401 && token) {
      // The access token was refused: refresh once (all tabs share it), retry once.
      token = await this.refresh(token.access_token);
      if (token) res = await this.send(path, o, token);
    }
    if (res.code === 40020 && !o.anonymous) this.opt.tokens.set(null);
    if (hadSession && this.opt.tokens.get() === null) this.opt.onSignedOut?.();
    if (res.code === 0 || (o.allowContinue && res.code === 203)) return res.data as T;
    throw new ApiError(res.code, res.msg, res.data, res.aggregated);
  }

  private async send(path: string, o: RequestOptions, token: TokenPair | null) {
    const headers: Record<string, string> = { ...o.headers };
    let body: BodyInit | undefined = o.raw;
    if (o.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    if (token) headers['Authorization'] = 'Bearer ' + token.access_token;
    let resp: Response;
    try {
      resp = await this.fetchFn(this.url(path, o.query), { method: o.method ?? 'GET', headers, body, signal: o.signal });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      this.opt.onNetwork?.(true);
      throw new NetworkError((e as Error)?.message ?? 'network');
    }
    this.opt.onNetwork?.(false);
    if (resp.status === 401) return { status: 401, code: 401, msg: 'Login required', data: undefined, aggregated: undefined };
    let env: { code: number; msg?: string; data?: unknown; aggregated_error?: Record<string, { code: number; msg: string }> };
    try {
      env = await resp.json();
    } catch {
      return { status: resp.status, code: resp.status >= 500 ? 50001 : -1, msg: resp.statusText, data: undefined, aggregated: undefined };
    }
    return { status: resp.status, code: env.code, msg: env.msg ?? '', data: env.data, aggregated: env.aggregated_error };
  }

  /** The current token, refreshed first when it is about to expire. */
  async freshToken(): Promise<TokenPair | null> {
    const t = this.opt.tokens.get();
    if (!t) return null;
    if (Date.parse(t.access_expires) - this.now() > REFRESH_MARGIN_MS) return t;
    return this.refresh(t.access_token);
  }

  /**
   * Exchanges the refresh token for a new pair. Concurrent callers in this
   * tab share one request; other tabs wait on the same Web Lock and then
   * find the pair already replaced, so only one refresh goes out.
   */
  refresh(staleAccess?: string): Promise<TokenPair | null> {
    if (!this.refreshing) {
      this.refreshing = this.lock('stratus-token-refresh', async () => {
        const current = this.opt.tokens.get();
        if (!current) return null;
        const stillValid = Date.parse(current.access_expires) - this.now() > REFRESH_MARGIN_MS;
        if (current.access_token !== staleAccess && stillValid) return current; // another tab did it
        if (Date.parse(current.refresh_expires) <= this.now()) {
          this.opt.tokens.set(null);
          return null;
        }
        const res = await this.send('/session/token/refresh', { method: 'POST', body: { refresh_token: current.refresh_token } }, null);
        if (res.code === 0) {
          const pair = res.data as TokenPair;
          this.opt.tokens.set(pair);
          return pair;
        }
        this.opt.tokens.set(null);
        return null;
      }).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }
}
