import { describe, expect, it } from 'vitest';
import { bandIndices, clickAt, emptySelection, moveFocus, prune, selectAll } from '../src/browser/selection';
import { createListing, type ListFn } from '../src/browser/listing';
import { buildURI, childURI, parentURI, parseURI } from '../src/lib/uri';
import { hasBit } from '../src/lib/bits';
import type { FileItem, ListResponse } from '../src/api/types';
import en from '../src/i18n/en';
import zh from '../src/i18n/zh-CN';

const ids = ['a', 'b', 'c', 'd', 'e'];

describe('selection', () => {
  it('click selects one, ctrl toggles, shift extends from the anchor', () => {
    let s = clickAt(emptySelection(), ids, 1);
    expect([...s.ids]).toEqual(['b']);
    s = clickAt(s, ids, 3, { toggle: true });
    expect([...s.ids].sort()).toEqual(['b', 'd']);
    s = clickAt(s, ids, 1, { toggle: true });
    expect([...s.ids]).toEqual(['d']);
    s = clickAt(s, ids, 0, { shift: true });
    expect([...s.ids].sort()).toEqual(['a', 'b']); // the anchor is the last item clicked
    expect(clickAt(s, ids, -1).ids.size).toBe(0); // empty space clears
  });

  it('arrows move focus and clamp; shift+arrow extends', () => {
    let s = moveFocus(emptySelection(), ids, 1, false);
    expect(s.focus).toBe(0);
    s = moveFocus(s, ids, 10, false);
    expect(s.focus).toBe(4);
    s = moveFocus(s, ids, -2, true);
    expect([...s.ids].sort()).toEqual(['c', 'd', 'e']);
    expect(selectAll(ids, 0).ids.size).toBe(5);
  });

  it('prunes ids that left the listing', () => {
    const s = prune(selectAll(ids, 4), ['a', 'c']);
    expect([...s.ids].sort()).toEqual(['a', 'c']);
    expect(s.focus).toBe(1);
  });

  it('maps a rubber band to the cells it touches', () => {
    const cell = { width: 100, height: 50, columns: 3 };
    expect(bandIndices({ x1: 150, y1: 10, x2: 20, y2: 60 }, cell, 10)).toEqual([0, 1, 3, 4]);
    expect(bandIndices({ x1: 0, y1: 140, x2: 299, y2: 160 }, cell, 10)).toEqual([6, 7, 8, 9]);
  });
});

const item = (i: number): FileItem => ({ type: 0, id: 'f' + i, name: `f${i}`, created_at: '', updated_at: '', size: i, metadata: null, path: 'cloudreve://my/f' + i });

describe('listing', () => {
  it('pages through the cursor and stops at the last page', async () => {
    const calls: (string | undefined)[] = [];
    const list: ListFn = async (q) => {
      calls.push(q.next_page_token);
      const page = q.next_page_token ? Number(q.next_page_token) : 0;
      return {
        files: [item(page * 2), item(page * 2 + 1)],
        pagination: { page: 0, page_size: 2, is_cursor: true, next_token: page < 2 ? String(page + 1) : undefined },
        props: { capability: '', max_page_size: 2000, order_by_options: ['name'] },
      } as unknown as ListResponse;
    };
    const l = createListing(list);
    await l.open('cloudreve://my');
    await l.more();
    await l.more();
    await l.more(); // nothing left
    expect(calls).toEqual([undefined, '1', '2']);
    expect(l.state.get().items.map((x) => x.id)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
  });

  it('keeps the error for the retry button instead of items', async () => {
    const l = createListing(async () => { throw new Error('boom'); });
    await l.open('cloudreve://my');
    expect(l.state.get()).toMatchObject({ loading: false, items: [] });
    expect((l.state.get().error as Error).message).toBe('boom');
  });
});

describe('uri', () => {
  it('round-trips share URIs with passwords and escapes names', () => {
    const u = 'cloudreve://Ab1:pw9@share/My%20Docs/a%23b.txt';
    const p = parseURI(u);
    expect(p).toMatchObject({ fs: 'share', id: 'Ab1', password: 'pw9', segments: ['My Docs', 'a#b.txt'] });
    expect(buildURI(p)).toBe(u);
    expect(childURI('cloudreve://my/a', 'b?c')).toBe('cloudreve://my/a/b%3Fc');
    expect(parentURI('cloudreve://my/a/b')).toBe('cloudreve://my/a');
    expect(parseURI('cloudreve://my?category=image').query).toBe('category=image');
  });

  it('reads boolset bits', () => {
    expect(hasBit('w8edAQ==', 0)).toBe(true);
    expect(hasBit('w8edAQ==', 2)).toBe(false);
    expect(hasBit('AMIK', 17)).toBe(true);
    expect(hasBit('', 0)).toBe(false);
  });
});

describe('catalogues', () => {
  it('Chinese has every English key and no other', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });
});

import { filtersToQuery, queryToFilters } from '../src/browser/SearchFilters';

describe('search filters', () => {
  it('write the URI query the server understands and read it back', () => {
    const f = { name: 'report 2024', type: 'file' as const, category: '' as const, minMB: '1', maxMB: '', after: '2026-01-02', before: '', tag: 'work' };
    const q = filtersToQuery(f);
    const p = new URLSearchParams(q);
    expect(p.getAll('name')).toEqual(['report', '2024']);
    expect(p.has('case_folding')).toBe(true);
    expect(p.get('type')).toBe('file');
    expect(p.get('size_gte')).toBe(String(1024 * 1024));
    expect(Number(p.get('size_lte'))).toBe(Number.MAX_SAFE_INTEGER); // both bounds, always
    expect(p.has('meta_tag:work')).toBe(true);
    expect(queryToFilters(q)).toEqual(f);
    expect(filtersToQuery(queryToFilters(''))).toBe('');
  });
});
