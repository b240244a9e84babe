// A folder listing paged through the server's cursor: the first page loads
// at once, the next when the view nears the end of what is loaded.
import { files, type ListQuery } from '../api';
import type { FileItem, ListResponse } from '../api/types';
import { store } from '../lib/store';

export interface ListingState {
  uri: string;
  items: FileItem[];
  next?: string;
  /** Offset mode (cursor pagination off on the server): the next page number. */
  nextPage?: number;
  loading: boolean;
  error?: unknown;
  meta?: Omit<ListResponse, 'files'>;
  order_by: string;
  order_direction: 'asc' | 'desc';
}

export type ListFn = (q: ListQuery & { page?: number }, signal?: AbortSignal) => Promise<ListResponse>;

/** A small first page shows rows sooner; later pages are larger to cut round trips. */
export const FIRST_PAGE = 100;
export const PAGE_SIZE = 1000;

export function createListing(list: ListFn = files.list as ListFn) {
  const state = store<ListingState>({ uri: '', items: [], loading: false, order_by: '', order_direction: 'asc' });
  let ctl: AbortController | null = null;

  async function fetchPage(first: boolean) {
    const s = state.get();
    if (!first && s.next === undefined && s.nextPage === undefined) return;
    ctl?.abort();
    const c = (ctl = new AbortController());
    state.set({ ...s, loading: true, error: undefined });
    try {
      const r = await list(
        {
          // Offset pages are numbered, so their size cannot change between pages.
          uri: s.uri, page_size: first || s.nextPage !== undefined ? FIRST_PAGE : PAGE_SIZE, order_by: s.order_by || undefined, order_direction: s.order_by ? s.order_direction : undefined,
          next_page_token: first ? undefined : s.next, page: first ? undefined : s.nextPage,
        },
        c.signal,
      );
      if (c.signal.aborted) return;
      const { files: items, ...meta } = r;
      const cur = state.get();
      const offset = !r.pagination.is_cursor && r.pagination.total_items !== undefined;
      const loaded = (first ? 0 : cur.items.length) + items.length;
      state.set({
        ...cur,
        items: first ? items : [...cur.items, ...items],
        next: r.pagination.next_token,
        nextPage: offset && loaded < (r.pagination.total_items ?? 0) ? r.pagination.page + 1 : undefined,
        loading: false,
        meta,
        order_by: cur.order_by || meta.view?.order || '',
        order_direction: cur.order_by ? cur.order_direction : meta.view?.order_direction || 'asc',
      });
    } catch (e) {
      if (c.signal.aborted || (e as Error)?.name === 'AbortError') return;
      state.set({ ...state.get(), loading: false, error: e });
    }
  }

  return {
    state,
    open(uri: string) {
      state.set({ uri, items: [], loading: true, order_by: '', order_direction: 'asc' });
      return fetchPage(true);
    },
    reload() {
      return fetchPage(true);
    },
    sort(order_by: string, order_direction: 'asc' | 'desc') {
      state.set({ ...state.get(), order_by, order_direction });
      return fetchPage(true);
    },
    /** Loads the next page unless one is loading or none is left. */
    more() {
      const s = state.get();
      if (s.loading || s.error || (s.next === undefined && s.nextPage === undefined)) return;
      return fetchPage(false);
    },
    /** Local edits after a mutation, before (or instead of) a reload. */
    patch(fn: (items: FileItem[]) => FileItem[]) {
      state.set({ ...state.get(), items: fn(state.get().items) });
    },
  };
}

export type Listing = ReturnType<typeof createListing>;
