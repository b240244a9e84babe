import { describe, expect, it, vi } from 'vitest';
import { ApiError, Client, NetworkError, type TokenPair, type TokenStore } from '../src/api/client';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const pair = (access: string, accessIn: number, refreshIn = 86400e3): TokenPair => ({
  access_token: access, refresh_token: 'r-' + access,
  access_expires: new Date(NOW + accessIn).toISOString(), refresh_expires: new Date(NOW + refreshIn).toISOString(),
});

function memoryTokens(initial: TokenPair | null): TokenStore & { value: TokenPair | null } {
  const s = { value: initial, get: () => s.value, set: (t: TokenPair | null) => { s.value = t; } };
  return s;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

type Call = { url: string; init: RequestInit };
function fakeFetch(handler: (c: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit) => {
    const c = { url, init };
    calls.push(c);
    return handler(c);
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const auth = (c: Call) => (c.init.headers as Record<string, string>)['Authorization'];

describe('Client', () => {
  it('unwraps data on code 0 and throws ApiError with the code otherwise', async () => {
    const f = fakeFetch((c) => (c.url.includes('ok') ? json({ code: 0, data: { x: 1 }, msg: '' }) : json({ code: 40004, msg: 'exists' })));
    const c = new Client({ fetch: f.fn, tokens: memoryTokens(null), now: () => NOW });
    await expect(c.request('/ok')).resolves.toEqual({ x: 1 });
    const err = (await c.request("/bad").catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(40004);
  });

  it('keeps the per-item errors of a batch failure', async () => {
    const f = fakeFetch(() => json({ code: 40081, msg: 'One or more operation failed', aggregated_error: { 'cloudreve://my/a': { code: 40016, msg: 'no' } } }));
    const err = (await new Client({ fetch: f.fn, tokens: memoryTokens(null) }).request("/file", { method: "DELETE" }).catch((e) => e)) as ApiError;
    expect(err.aggregated!['cloudreve://my/a'].code).toBe(40016);
  });

  it('resolves 203 only when the caller expects a second step', async () => {
    const f = fakeFetch(() => json({ code: 203, data: 'session-id', msg: '' }));
    const c = new Client({ fetch: f.fn, tokens: memoryTokens(null) });
    await expect(c.request('/session/token', { allowContinue: true })).resolves.toBe('session-id');
    await expect(c.request('/session/token')).rejects.toBeInstanceOf(ApiError);
  });

  it('reports network failures as NetworkError and tells the app', async () => {
    const onNetwork = vi.fn();
    const f = fakeFetch(() => { throw new TypeError('Failed to fetch'); });
    const c = new Client({ fetch: f.fn, tokens: memoryTokens(null), onNetwork });
    await expect(c.request('/x')).rejects.toBeInstanceOf(NetworkError);
    expect(onNetwork).toHaveBeenCalledWith(true);
  });

  it('sends the access token, and none to anonymous endpoints', async () => {
    const f = fakeFetch(() => json({ code: 0, data: null }));
    const c = new Client({ fetch: f.fn, tokens: memoryTokens(pair('a1', 3600e3)), now: () => NOW });
    await c.request('/user/me');
    await c.request('/session/token', { method: 'POST', anonymous: true, body: {} });
    expect(auth(f.calls[0])).toBe('Bearer a1');
    expect(auth(f.calls[1])).toBeUndefined();
  });

  it('refreshes an expiring token before the request, once for concurrent requests', async () => {
    const tokens = memoryTokens(pair('old', 10e3));
    let refreshes = 0;
    const f = fakeFetch(async (c) => {
      if (c.url.endsWith('/session/token/refresh')) {
        refreshes++;
        expect(JSON.parse(c.init.body as string)).toEqual({ refresh_token: 'r-old' });
        expect(auth(c)).toBeUndefined();
        return json({ code: 0, data: pair('new', 3600e3) });
      }
      return json({ code: 0, data: auth(c) });
    });
    const c = new Client({ fetch: f.fn, tokens, now: () => NOW });
    const got = await Promise.all([c.request('/a'), c.request('/b'), c.request('/c')]);
    expect(got).toEqual(['Bearer new', 'Bearer new', 'Bearer new']);
    expect(refreshes).toBe(1);
    expect(tokens.value?.access_token).toBe('new');
  });

  it('retries once after a 401 with a refreshed token', async () => {
    const tokens = memoryTokens(pair('revoked', 3600e3));
    const f = fakeFetch((c) => {
      if (c.url.endsWith('/refresh')) return json({ code: 0, data: pair('fresh', 3600e3) });
      return auth(c) === 'Bearer fresh' ? json({ code: 0, data: 'ok' }) : json({ code: 401, msg: 'Login required' });
    });
    const c = new Client({ fetch: f.fn, tokens, now: () => NOW });
    await expect(c.request('/user/me')).resolves.toBe('ok');
  });

  it('skips the refresh another tab already did while this one waited for the lock', async () => {
    const tokens = memoryTokens(pair('stale', 10e3));
    const f = fakeFetch((c) => (c.url.endsWith('/refresh') ? json({ code: 0, data: pair('mine', 3600e3) }) : json({ code: 0, data: auth(c) })));
    // The "other tab" replaces the pair while this tab waits on the lock.
    const lock = async <T,>(_: string, fn: () => Promise<T>) => {
      tokens.value = pair('other-tab', 3600e3);
      return fn();
    };
    const c = new Client({ fetch: f.fn, tokens, lock, now: () => NOW });
    await expect(c.request('/x')).resolves.toBe('Bearer other-tab');
    expect(f.calls.some((x) => x.url.endsWith('/refresh'))).toBe(false);
  });

  it('signs out when the refresh is refused', async () => {
    const tokens = memoryTokens(pair('old', 10e3));
    const onSignedOut = vi.fn();
    const f = fakeFetch((c) => (c.url.endsWith('/refresh') ? json({ code: 40020, msg: 'expired' }) : json({ code: 401, msg: 'Login required' })));
    const c = new Client({ fetch: f.fn, tokens, now: () => NOW, onSignedOut });
    await expect(c.request('/user/me')).rejects.toBeInstanceOf(ApiError);
    expect(tokens.value).toBeNull();
    expect(onSignedOut).toHaveBeenCalled();
  });

  it('does not refresh with an expired refresh token', async () => {
    const tokens = memoryTokens(pair('old', -10e3, -5e3));
    const f = fakeFetch(() => json({ code: 401, msg: 'Login required' }));
    const c = new Client({ fetch: f.fn, tokens, now: () => NOW });
    await expect(c.request('/user/me')).rejects.toBeInstanceOf(ApiError);
    expect(f.calls.some((x) => x.url.endsWith('/refresh'))).toBe(false);
    expect(tokens.value).toBeNull();
  });
});
