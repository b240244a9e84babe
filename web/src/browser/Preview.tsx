// Previews from signed download URLs: images (zoom, arrow-key gallery),
// native video and audio players (Range streaming), PDF in the browser's
// viewer, text and code, Markdown rendered to elements (never as HTML).
import { useEffect, useState } from 'preact/hooks';
import { files } from '../api';
import type { FileItem } from '../api/types';
import { showDialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { errorMessage, t } from '../i18n';
import { renderMarkdown } from './markdown';
import { download } from './actions';

type Kind = 'image' | 'video' | 'audio' | 'pdf' | 'markdown' | 'text';
const kinds: [RegExp, Kind][] = [
  [/\.(png|jpe?g|gif|webp|bmp|avif|svg|ico)$/i, 'image'],
  [/\.(mp4|webm|m4v|mov|ogv)$/i, 'video'],
  [/\.(mp3|wav|ogg|oga|m4a|flac|opus|aac)$/i, 'audio'],
  [/\.pdf$/i, 'pdf'],
  [/\.(md|markdown)$/i, 'markdown'],
  [/\.(txt|log|csv|json|xml|ya?ml|toml|ini|conf|go|ts|tsx|js|jsx|mjs|css|html?|py|rb|rs|java|kt|c|h|cpp|hpp|cs|php|sh|bash|zsh|sql|lua|swift|env|gitignore|dockerfile)$/i, 'text'],
];

export const previewKind = (name: string): Kind | null => kinds.find(([re]) => re.test(name))?.[1] ?? null;
export const previewable = (item: FileItem) => item.type === 0 && previewKind(item.name) !== null;

const TEXT_LIMIT = 2 * 1024 * 1024;

export function openPreview(item: FileItem, gallery: FileItem[]) {
  void showDialog<void>(t('preview.title', { name: item.name }), (close) => <Preview start={item} gallery={gallery} close={() => close(null)} />);
}

function Preview({ start, gallery, close }: { start: FileItem; gallery: FileItem[]; close: () => void }) {
  const [item, setItem] = useState(start);
  const [url, setUrl] = useState('');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [zoom, setZoom] = useState(false);
  const kind = previewKind(item.name)!;
  const index = gallery.findIndex((g) => g.id === item.id);

  useEffect(() => {
    let alive = true;
    setUrl('');
    setText(null);
    setError('');
    setZoom(false);
    files.urls([item.path]).then(async (r) => {
      if (!alive) return;
      const u = r.urls[0].url;
      setUrl(u);
      if (kind === 'text' || kind === 'markdown') {
        if (item.size > TEXT_LIMIT) return setError(t('preview.tooLarge'));
        const body = await fetch(u).then((x) => x.text());
        if (alive) setText(body);
      }
    }).catch((e) => alive && setError(errorMessage(e)));
    return () => { alive = false; };
  }, [item.id]);

  const step = (d: number) => {
    const next = gallery[index + d];
    if (next) setItem(next);
  };
  return (
    <div class="preview" onKeyDown={(e) => {
      if (e.key === 'ArrowRight') step(1);
      else if (e.key === 'ArrowLeft') step(-1);
      else return;
      e.preventDefault();
    }}>
      <header>
        <h2 title={item.name}>{item.name}</h2>
        <span class="muted">{index >= 0 && gallery.length > 1 ? `${index + 1} / ${gallery.length}` : ''}</span>
        <div class="grow" />
        {kind === 'image' && <button class="icon-btn" aria-pressed={zoom} aria-label={t('preview.zoom')} onClick={() => setZoom(!zoom)}><Icon name="zoom" /></button>}
        <button class="icon-btn" aria-label={t('action.download')} onClick={() => void download([item])}><Icon name="download" /></button>
        <button class="icon-btn" aria-label={t('action.close')} onClick={close} autofocus><Icon name="close" /></button>
      </header>
      <div class={'preview-body ' + kind + (zoom ? ' zoomed' : '')}>
        {error ? <p class="error" role="alert">{error}</p> : !url ? <p aria-busy="true">{t('state.loading')}</p> : (
          kind === 'image' ? <img src={url} alt={item.name} onClick={() => setZoom(!zoom)} /> :
          kind === 'video' ? <video src={url} controls autoPlay={false} preload="metadata" /> :
          kind === 'audio' ? <audio src={url} controls preload="metadata" /> :
          kind === 'pdf' ? <iframe src={url} title={item.name} /> :
          text === null ? <p aria-busy="true">{t('state.loading')}</p> :
          kind === 'markdown' ? <article class="markdown">{renderMarkdown(text)}</article> :
          <pre class="code"><code>{text}</code></pre>
        )}
      </div>
      {gallery.length > 1 && (
        <>
          <button class="nav prev icon-btn" disabled={index <= 0} aria-label={t('preview.previous')} onClick={() => step(-1)}><Icon name="left" /></button>
          <button class="nav next icon-btn" disabled={index >= gallery.length - 1} aria-label={t('preview.next')} onClick={() => step(1)}><Icon name="right" /></button>
        </>
      )}
    </div>
  );
}
