// The few dozen icons the app uses, drawn once as an inline SVG sprite
// (24×24 strokes) and referenced with <use>.
const paths: Record<string, string> = {
  folder: 'M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2h8.5A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9.5a1 1 0 1 0 0-.01',
  video: 'M4 6h11v12H4zM15 10l5-3v10l-5-3',
  audio: 'M9 18V6l10-2v12M9 18a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0zM19 16a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0z',
  doc: 'M6 3h8l4 4v14H6zM9 12h6M9 15h6M9 18h4',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  share: 'M16 6a2.5 2.5 0 1 0 0-.01M6 12a2.5 2.5 0 1 0 0-.01M16 18a2.5 2.5 0 1 0 0-.01M8.3 11l5.4-3.5M8.3 13l5.4 3.5',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  plug: 'M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4',
  tasks: 'M9 6h11M9 12h11M9 18h11M4 6h1M4 12h1M4 18h1',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  settings: 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM19 12l2-1-1-3-2 .2-1.3-1.3.2-2-3-1-1 2h-1.8l-1-2-3 1 .2 2L7 7.2 5 7 4 10l2 1v2l-2 1 1 3 2-.2 1.3 1.3-.2 2 3 1 1-2h1.8l1 2 3-1-.2-2 1.3-1.3 2 .2 1-3-2-1z',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5L20 20',
  plus: 'M12 5v14M5 12h14',
  upload: 'M12 16V4M7 9l5-5 5 5M4 20h16',
  download: 'M12 4v12M7 11l5 5 5-5M4 20h16',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  close: 'M6 6l12 12M18 6L6 18',
  menu: 'M4 7h16M4 12h16M4 17h16',
  grid: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  list: 'M4 6h16M4 12h16M4 18h16',
  up: 'M12 19V5M6 11l6-6 6 6',
  down: 'M12 5v14M6 13l6 6 6-6',
  left: 'M15 6l-6 6 6 6',
  right: 'M9 6l6 6-6 6',
  pin: 'M9 4h6l-1 6 3 3H7l3-3zM12 13v8',
  info: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v5M12 8h.01',
  restore: 'M4 12a8 8 0 1 0 2.3-5.7L4 8.6M4 4v4.6h4.6',
  copy: 'M8 8h12v12H8zM16 8V4H4v12h4',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  move: 'M5 12h14M15 8l4 4-4 4M3 6v12',
  sun: 'M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  cloud: 'M7 18a5 5 0 0 1-.6-9.96A7 7 0 0 1 19.6 9.5 4.5 4.5 0 0 1 18 18z',
  check: 'M5 12l5 5 9-10',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 4l13 8-13 8z',
  retry: 'M20 12a8 8 0 1 1-2.3-5.7L20 8.6M20 4v4.6h-4.6',
  lock: 'M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4',
  tag: 'M3 3h8l10 10-8 8L3 11zM7.5 7.5h.01',
  history: 'M12 7v5l3 2M12 21a9 9 0 1 0-9-9',
  filter: 'M4 5h16l-6 7.5V18l-4 2v-7.5z',
  zoom: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5L20 20M10.5 8v5M8 10.5h5',
};

export type IconName = keyof typeof paths;

export function IconSprite() {
  return (
    <svg aria-hidden="true" width="0" height="0" class="sprite">
      {Object.entries(paths).map(([id, d]) => (
        <symbol id={'i-' + id} viewBox="0 0 24 24" key={id}>
          <path d={d} />
        </symbol>
      ))}
    </svg>
  );
}

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg class="icon" width={size} height={size} aria-hidden="true" focusable="false">
      <use href={'#i-' + name} />
    </svg>
  );
}

const kinds: [RegExp, IconName][] = [
  [/\.(png|jpe?g|gif|webp|bmp|svg|avif|heic|ico|tiff?)$/i, 'image'],
  [/\.(mp4|webm|mkv|mov|avi|m4v|ogv)$/i, 'video'],
  [/\.(mp3|flac|wav|ogg|m4a|aac|opus)$/i, 'audio'],
  [/\.(pdf|docx?|xlsx?|pptx?|odt|txt|md|csv|rtf)$/i, 'doc'],
];

export function fileIcon(name: string, folder: boolean): IconName {
  if (folder) return 'folder';
  for (const [re, icon] of kinds) if (re.test(name)) return icon;
  return 'file';
}
