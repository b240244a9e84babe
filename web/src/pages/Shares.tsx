// My share links: open, copy, edit limits, delete.
import { useEffect, useState } from 'preact/hooks';
import { shares } from '../api';
import type { Share } from '../api/types';
import { confirmDialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { copyText, shareDialog } from '../browser/actions';
import { errorMessage, t } from '../i18n';
import { formatDate } from '../lib/format';
import { homeURL, navigate } from '../lib/router';
import { toast } from '../state';

export function SharesPage() {
  const [list, setList] = useState<Share[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState('');
  const load = (token?: string) =>
    shares.list(token).then((r) => {
      setList((old) => [...(token ? old ?? [] : []), ...(r.shares ?? [])]);
      setNext(r.pagination.next_token);
    }, (e) => setError(errorMessage(e)));
  useEffect(() => void load(), []);
  const remove = async (s: Share) => {
    if (!(await confirmDialog(t('shares.delete'), t('shares.deleteConfirm', { name: s.name ?? s.id }), t('action.delete'), true))) return;
    try {
      await shares.remove(s.id);
      setList((l) => l!.filter((x) => x.id !== s.id));
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  return (
    <section class="page">
      <h1>{t('nav.shares')}</h1>
      {error && <div class="state error" role="alert"><p>{error}</p><button class="btn" onClick={() => { setError(''); void load(); }}>{t('action.retry')}</button></div>}
      {list === null && !error && <div class="skeleton" aria-busy="true"><div class="skeleton-row" /><div class="skeleton-row" /></div>}
      {list?.length === 0 && <div class="state empty"><Icon name="link" size={48} /><p>{t('shares.empty')}</p></div>}
      {list && list.length > 0 && (
        <table class="table">
          <thead>
            <tr><th>{t('field.name')}</th><th class="hide-phone">{t('shares.created')}</th><th class="hide-phone">{t('shares.views')}</th><th class="hide-phone">{t('shares.downloads')}</th><th><span class="sr-only">{t('menu.actions')}</span></th></tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} class={s.expired ? 'expired' : ''}>
                <td>
                  <a href={homeURL(shareURI(s))} onClick={(e) => { e.preventDefault(); navigate(homeURL(shareURI(s))); }}>
                    <Icon name={s.source_type === 1 ? 'folder' : 'file'} size={18} /> {s.name ?? s.id}
                  </a>
                  {s.is_private && <Icon name="lock" size={14} />}
                  {s.expired && <small class="muted"> · {t('shares.expired')}</small>}
                </td>
                <td class="hide-phone">{formatDate(s.created_at)}</td>
                <td class="hide-phone">{s.visited}</td>
                <td class="hide-phone">{s.downloaded ?? 0}{s.remain_downloads ? ` / ${(s.downloaded ?? 0) + s.remain_downloads}` : ''}</td>
                <td class="row-actions">
                  <button class="icon-btn" aria-label={t('action.copyLink')} title={t('action.copyLink')} onClick={() => copyText(s.url)}><Icon name="copy" size={18} /></button>
                  <button class="icon-btn" aria-label={t('action.edit')} title={t('action.edit')} onClick={async () => {
                      const info = await shares.info(s.id, s.password, false, true).catch(() => null);
                      const src = info?.source_uri;
                      if (!src) return toast(t('shares.cannotEdit'), 'error');
                      void shareDialog({ path: s.source_type === 1 ? src : src + '/' + encodeURIComponent(s.name ?? ''), name: s.name ?? '', type: (s.source_type ?? 0) as 0 } as never, s).then((url) => { if (url) void load(); });
                    }}><Icon name="edit" size={18} /></button>
                  <button class="icon-btn danger" aria-label={t('action.delete')} title={t('action.delete')} onClick={() => void remove(s)}><Icon name="trash" size={18} /></button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && <button class="btn" onClick={() => void load(next)}>{t('action.more')}</button>}
    </section>
  );
}

const shareURI = (s: Share) => `cloudreve://${s.id}${s.password ? ':' + s.password : ''}@share`;
