// Search with the URI filters (name, type, category, size, dates, tag): a
// form that writes the query part of a cloudreve:// URI.
import { useState } from 'preact/hooks';
import { showDialog } from '../components/Dialog';
import { t } from '../i18n';

export interface Filters {
  name: string;
  type: '' | 'file' | 'folder';
  category: '' | 'image' | 'video' | 'audio' | 'document';
  minMB: string;
  maxMB: string;
  after: string;
  before: string;
  tag: string;
}

const MB = 1024 * 1024;
const day = (d: string, end: boolean) => Math.floor(Date.parse(d + (end ? 'T23:59:59' : 'T00:00:00')) / 1000);

/** The URI query for the filters ('' when none is set). */
export function filtersToQuery(f: Filters): string {
  const q = new URLSearchParams();
  if (f.category) q.set('category', f.category); // the server replaces the query with the category's
  for (const word of f.name.trim().split(/\s+/).filter(Boolean)) q.append('name', word);
  if (f.name.trim()) q.set('case_folding', '');
  if (f.type) q.set('type', f.type);
  if (f.minMB || f.maxMB) {
    // Both bounds apply as soon as one is set, so send both.
    q.set('size_gte', String(Math.round(Number(f.minMB || 0) * MB)));
    q.set('size_lte', String(f.maxMB ? Math.round(Number(f.maxMB) * MB) : Number.MAX_SAFE_INTEGER));
  }
  if (f.after) q.set('updated_gte', String(day(f.after, false)));
  if (f.before) q.set('updated_lte', String(day(f.before, true)));
  if (f.tag.trim()) q.set('meta_tag:' + f.tag.trim(), '');
  return q.toString().replace(/=(&|$)/g, '$1');
}

export function queryToFilters(query: string): Filters {
  const q = new URLSearchParams(query);
  const iso = (s: string | null) => {
    if (!s) return '';
    const d = new Date(Number(s) * 1000); // local day, as the date input shows it
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  const lte = Number(q.get('size_lte') || 0);
  return {
    name: q.getAll('name').join(' '),
    type: (q.get('type') as Filters['type']) || '',
    category: (q.get('category') as Filters['category']) || '',
    minMB: q.get('size_gte') && q.get('size_gte') !== '0' ? String(Number(q.get('size_gte')) / MB) : '',
    maxMB: lte && lte < Number.MAX_SAFE_INTEGER ? String(lte / MB) : '',
    after: iso(q.get('updated_gte')),
    before: iso(q.get('updated_lte')),
    tag: [...q.keys()].find((k) => k.startsWith('meta_tag:'))?.slice(9) ?? '',
  };
}

export function filterDialog(initial: Filters) {
  return showDialog<Filters>(t('search.filters'), (close) => <FilterForm initial={initial} close={close} />);
}

function FilterForm({ initial, close }: { initial: Filters; close: (f: Filters | null) => void }) {
  const [f, setF] = useState(initial);
  const field = (k: keyof Filters) => ({
    value: f[k],
    onInput: (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value }),
  });
  return (
    <form class="filters" onSubmit={(e) => { e.preventDefault(); close(f); }}>
      <h2>{t('search.filters')}</h2>
      <label class="field"><span>{t('search.words')}</span><input {...field('name')} autofocus /></label>
      <div class="two">
        <label class="field"><span>{t('search.type')}</span>
          <select value={f.type} onChange={(e) => setF({ ...f, type: (e.target as HTMLSelectElement).value as Filters['type'] })}>
            <option value="">{t('search.any')}</option>
            <option value="file">{t('search.files')}</option>
            <option value="folder">{t('search.folders')}</option>
          </select>
        </label>
        <label class="field"><span>{t('nav.categories')}</span>
          <select value={f.category} onChange={(e) => setF({ ...f, category: (e.target as HTMLSelectElement).value as Filters['category'] })}>
            <option value="">{t('search.any')}</option>
            {(['image', 'video', 'audio', 'document'] as const).map((c) => <option key={c} value={c}>{t(('category.' + c) as 'category.image')}</option>)}
          </select>
        </label>
        <label class="field"><span>{t('search.minSize')}</span><input type="number" min={0} step="any" {...field('minMB')} /></label>
        <label class="field"><span>{t('search.maxSize')}</span><input type="number" min={0} step="any" {...field('maxMB')} /></label>
        <label class="field"><span>{t('search.after')}</span><input type="date" {...field('after')} /></label>
        <label class="field"><span>{t('search.before')}</span><input type="date" {...field('before')} /></label>
      </div>
      <label class="field"><span>{t('search.tag')}</span><input {...field('tag')} /></label>
      {f.category && <p class="muted">{t('search.categoryNote')}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={() => close({ name: '', type: '', category: '', minMB: '', maxMB: '', after: '', before: '', tag: '' })}>{t('search.clear')}</button>
        <button type="button" class="btn" onClick={() => close(null)}>{t('action.cancel')}</button>
        <button class="btn primary">{t('search.label')}</button>
      </div>
    </form>
  );
}
