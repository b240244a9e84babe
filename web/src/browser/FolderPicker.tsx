// Picks a destination folder in My files for move and copy.
import { useEffect, useState } from 'preact/hooks';
import { files } from '../api';
import type { FileItem } from '../api/types';
import { showDialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { errorMessage, t } from '../i18n';
import { MY_ROOT, childURI, parentURI, parseURI } from '../lib/uri';

export function pickFolder(title: string, start: string) {
  return showDialog<string>(title, (close) => <Picker title={title} start={parseURI(start).fs === 'my' ? start : MY_ROOT} close={close} />);
}

function Picker({ title, start, close }: { title: string; start: string; close: (v: string | null) => void }) {
  const [uri, setUri] = useState(start);
  const [folders, setFolders] = useState<FileItem[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setFolders(null);
    setError('');
    files.list({ uri, page_size: 1000, order_by: 'name' }).then(
      (r) => setFolders(r.files.filter((f) => f.type === 1)),
      (e) => setError(errorMessage(e)),
    );
  }, [uri]);
  const segs = parseURI(uri).segments;
  return (
    <div class="picker">
      <h2>{title}</h2>
      <div class="picker-path">
        <button class="icon-btn" disabled={segs.length === 0} aria-label={t('browser.up')} onClick={() => setUri(parentURI(uri))}>
          <Icon name="up" />
        </button>
        <span>/{segs.join('/')}</span>
      </div>
      <ul class="picker-list" aria-busy={folders === null}>
        {error && <li class="error">{error}</li>}
        {folders?.length === 0 && <li class="muted">{t('picker.noFolders')}</li>}
        {folders?.map((f) => (
          <li key={f.id}>
            <button class="picker-item" onClick={() => setUri(childURI(uri, f.name))}>
              <Icon name="folder" /> {f.name}
            </button>
          </li>
        ))}
      </ul>
      <div class="actions">
        <button class="btn" onClick={() => close(null)}>{t('action.cancel')}</button>
        <button class="btn primary" onClick={() => close(uri)}>{t('picker.here')}</button>
      </div>
    </div>
  );
}
