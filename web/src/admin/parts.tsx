// Building blocks of the admin pages: a paged table over one admin list,
// form fields, and the size and speed inputs the forms share.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage, t, type MessageKey } from '../i18n';
import { Icon } from '../components/Icon';
import type { ListRequest, Page } from './api';

export interface Column<T> {
  label: MessageKey;
  render: (row: T) => ComponentChildren;
  /** Hidden at phone width. */
  wide?: boolean;
}

export interface ListProps<T> {
  load: (req: ListRequest) => Promise<Page<T>>;
  columns: Column<T>[];
  /** Buttons per row; reload refreshes the list after a change. */
  actions?: (row: T, reload: () => void) => ComponentChildren;
  conditions?: Record<string, string>;
  orderBy?: string;
  order?: 'asc' | 'desc';
  /** Bumped by the page to reload (after a create, say). */
  version?: number;
  empty: MessageKey;
  label: MessageKey;
}

const PAGE_SIZE = 20;

/** A paged table over one admin list, with a retry on failure. */
export function AdminList<T extends { id?: number }>(p: ListProps<T>) {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const conds = JSON.stringify(p.conditions ?? {});
  useEffect(() => setPage(1), [conds]);
  useEffect(() => {
    let live = true;
    setError('');
    p.load({ page, page_size: PAGE_SIZE, conditions: p.conditions, order_by: p.orderBy, order_direction: p.order })
      .then((d) => live && setData(d), (e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [page, conds, tick, p.version]);
  const reload = () => setTick((n) => n + 1);
  if (error) {
    return (
      <div class="state error" role="alert">
        <p>{error}</p>
        <button class="btn" onClick={reload}>{t('action.retry')}</button>
      </div>
    );
  }
  if (!data) return <div class="skeleton-page" aria-busy="true" />;
  const total = data.pagination.total_items ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (data.items.length === 0) return <div class="state empty"><p>{t(p.empty)}</p></div>;
  return (
    <>
      <table class="table" aria-label={t(p.label)}>
        <thead>
          <tr>
            {p.columns.map((c) => <th key={c.label} class={c.wide ? 'hide-phone' : undefined}>{t(c.label)}</th>)}
            {p.actions && <th><span class="sr-only">{t('menu.actions')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {data.items.map((row, i) => (
            <tr key={row.id ?? i}>
              {p.columns.map((c) => <td key={c.label} class={c.wide ? 'hide-phone' : undefined}>{c.render(row)}</td>)}
              {p.actions && <td class="row-actions">{p.actions(row, reload)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <nav class="pager" aria-label={t('admin.pages')}>
        <button class="icon-btn" disabled={page <= 1} aria-label={t('admin.prev')} onClick={() => setPage(page - 1)}>
          <Icon name="left" size={18} />
        </button>
        <span>{t('admin.pageOf', { page, pages, total })}</span>
        <button class="icon-btn" disabled={page >= pages} aria-label={t('admin.next')} onClick={() => setPage(page + 1)}>
          <Icon name="right" size={18} />
        </button>
      </nav>
    </>
  );
}

type InputProps = { label: MessageKey; value: string; onInput: (v: string) => void; type?: string; required?: boolean; hint?: string; autofocus?: boolean };

export function TextField(p: InputProps) {
  return (
    <label class="field">
      <span>{t(p.label)}</span>
      <input type={p.type ?? 'text'} value={p.value} required={p.required} autofocus={p.autofocus}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)} />
      {p.hint && <small class="muted">{p.hint}</small>}
    </label>
  );
}

export function Check(p: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label class="check">
      <input type="checkbox" checked={p.checked} onChange={(e) => p.onChange((e.target as HTMLInputElement).checked)} /> {p.label}
    </label>
  );
}

export function Select(p: { label: MessageKey; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void }) {
  return (
    <label class="field">
      <span>{t(p.label)}</span>
      <select value={p.value} onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}>
        {p.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

/** Form actions with the error of the last attempt. */
export function FormActions({ error, close, busy }: { error: string; close: () => void; busy: boolean }) {
  return (
    <>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={close}>{t('action.cancel')}</button>
        <button class="btn primary" disabled={busy}>{t('action.save')}</button>
      </div>
    </>
  );
}

/** Runs a form's save, keeping its error on the form. */
export function useSave<T>(save: () => Promise<T>, done: (v: T) => void) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      done(await save());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

/** Boolset helpers: standard Base64 of little-endian bits. */
export function bitsOf(boolset: string | undefined): Set<number> {
  const out = new Set<number>();
  if (!boolset) return out;
  let bytes = '';
  try {
    bytes = atob(boolset);
  } catch {
    return out;
  }
  for (let i = 0; i < bytes.length * 8; i++) if ((bytes.charCodeAt(i >> 3) >> (i & 7)) & 1) out.add(i);
  return out;
}

export function boolsetOf(bits: Set<number>): string {
  const max = Math.max(-1, ...bits);
  const bytes = new Uint8Array(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[b >> 3] |= 1 << (b & 7);
  return btoa(String.fromCharCode(...bytes));
}
