// The app's one upload queue, its conflict prompt, and the bus that tells
// an open folder its content changed.
import { client } from '../api';
import { showDialog } from '../components/Dialog';
import { t } from '../i18n';
import { store } from '../lib/store';
import { refreshCapacity } from '../state';
import { UploadQueue, type ConflictChoice } from './queue';
import { xhrTransport } from './transport';

/**
 * Folders whose content changed, numbered: a view remembers the last number
 * it handled, so two changes in one tick (a move touches two folders) are
 * both seen.
 */
export interface FolderChange {
  uri: string;
  n: number;
}
export const folderChanged = store<FolderChange[]>([]);
let changeSeq = 0;
export const changed = (uri: string) => folderChanged.set((c) => [...c.slice(-49), { uri, n: ++changeSeq }]);

let capTimer: ReturnType<typeof setTimeout> | undefined;

export const queue = new UploadQueue({
  transport: xhrTransport(client),
  storage: localStorage,
  onConflict: (task) =>
    showDialog<{ choice: ConflictChoice; all: boolean }>(t('upload.conflictTitle'), (close) => {
      let all = false;
      const pick = (choice: ConflictChoice) => close({ choice, all });
      return (
        <div>
          <h2>{t('upload.conflictTitle')}</h2>
          <p>{t('upload.conflictBody', { name: task.name })}</p>
          <label class="check">
            <input type="checkbox" onChange={(e) => (all = (e.target as HTMLInputElement).checked)} /> {t('upload.applyAll')}
          </label>
          <div class="actions">
            <button class="btn" onClick={() => pick('skip')}>{t('upload.skip')}</button>
            <button class="btn" onClick={() => pick('rename')}>{t('upload.rename')}</button>
            <button class="btn primary" autofocus onClick={() => pick('overwrite')}>{t('upload.overwrite')}</button>
          </div>
        </div>
      );
    }).then((r) => {
      const choice = r?.choice ?? 'skip';
      if (r?.all) queue.applyToAll(choice);
      return choice;
    }),
  onFinished: (task) => {
    changed(task.folder);
    clearTimeout(capTimer);
    capTimer = setTimeout(refreshCapacity, 1000);
  },
});
