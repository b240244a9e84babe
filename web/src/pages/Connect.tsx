// WebDAV accounts: create (the secret is shown once to copy), read-only
// flag, delete.
import { useEffect, useState } from 'preact/hooks';
import { dav } from '../api';
import type { DavAccount } from '../api/types';
import { confirmDialog, showDialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { copyText } from '../browser/actions';
import { errorMessage, t } from '../i18n';
import { hasBit } from '../lib/bits';
import { formatDate } from '../lib/format';
import { useStore } from '../lib/store';
import { me, toast } from '../state';

export function ConnectPage() {
  const user = useStore(me);
  const [list, setList] = useState<DavAccount[] | null>(null);
  const [error, setError] = useState('');
  const load = () => dav.list().then((r) => setList(r.accounts ?? []), (e) => setError(errorMessage(e)));
  useEffect(() => void load(), []);
  const create = async () => {
    const acct = await showDialog<DavAccount>(t('dav.new'), (close) => <NewAccount close={close} />);
    if (!acct) return;
    setList((l) => [acct, ...(l ?? [])]);
    await showDialog<void>(t('dav.created'), (close) => (
      <div>
        <h2>{t('dav.created')}</h2>
        <p>{t('dav.secretOnce')}</p>
        <dl class="kv">
          <dt>{t('dav.server')}</dt><dd><code>{location.origin}/dav</code></dd>
          <dt>{t('dav.user')}</dt><dd><code>{user?.email}</code></dd>
          <dt>{t('dav.password')}</dt><dd><code class="secret">{acct.password}</code></dd>
        </dl>
        <div class="actions">
          <button class="btn" onClick={() => copyText(acct.password)}>{t('action.copy')}</button>
          <button class="btn primary" onClick={() => close(null)}>{t('action.done')}</button>
        </div>
      </div>
    ));
  };
  return (
    <section class="page">
      <div class="page-head">
        <h1>{t('nav.connect')}</h1>
        <button class="btn primary" onClick={() => void create()}><Icon name="plus" /> {t('dav.new')}</button>
      </div>
      <p class="muted">{t('dav.explain', { url: location.origin + '/dav' })}</p>
      {error && <div class="state error" role="alert"><p>{error}</p></div>}
      {list?.length === 0 && <div class="state empty"><Icon name="plug" size={48} /><p>{t('dav.empty')}</p></div>}
      {list && list.length > 0 && (
        <table class="table">
          <thead><tr><th>{t('field.name')}</th><th class="hide-phone">{t('dav.root')}</th><th class="hide-phone">{t('shares.created')}</th><th><span class="sr-only">{t('menu.actions')}</span></th></tr></thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id}>
                <td>{a.name}{hasBit(a.options, 0) && <small class="muted"> · {t('dav.readonly')}</small>}</td>
                <td class="hide-phone"><code>{a.uri}</code></td>
                <td class="hide-phone">{formatDate(a.created_at)}</td>
                <td class="row-actions">
                  <button class="icon-btn danger" aria-label={t('action.delete')} onClick={async () => {
                    if (!(await confirmDialog(t('dav.delete'), t('dav.deleteConfirm', { name: a.name }), t('action.delete'), true))) return;
                    dav.remove(a.id).then(() => setList((l) => l!.filter((x) => x.id !== a.id)), (e) => toast(errorMessage(e), 'error'));
                  }}><Icon name="trash" size={18} /></button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewAccount({ close }: { close: (a: DavAccount | null) => void }) {
  const [name, setName] = useState('');
  const [root, setRoot] = useState('/');
  const [readonly, setReadonly] = useState(false);
  const [error, setError] = useState('');
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      try {
        const segs = root.split('/').filter(Boolean).map(encodeURIComponent).join('/');
        close(await dav.create({ name, uri: 'cloudreve://my' + (segs ? '/' + segs : ''), readonly }));
      } catch (err) {
        setError(errorMessage(err));
      }
    }}>
      <h2>{t('dav.new')}</h2>
      <label class="field"><span>{t('field.name')}</span><input value={name} required autofocus onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
      <label class="field"><span>{t('dav.root')}</span><input value={root} onInput={(e) => setRoot((e.target as HTMLInputElement).value)} /></label>
      <label class="check"><input type="checkbox" checked={readonly} onChange={(e) => setReadonly((e.target as HTMLInputElement).checked)} /> {t('dav.readonly')}</label>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={() => close(null)}>{t('action.cancel')}</button>
        <button class="btn primary">{t('action.create')}</button>
      </div>
    </form>
  );
}
