// A virtualised list or grid: only the rows in view (plus a margin) are in
// the DOM, so a folder of 100,000 files scrolls with a bounded node count.
// Cells have a fixed size, which makes positions and the rubber band pure
// arithmetic.
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FileItem } from '../api/types';
import type { Selection } from './selection';

export type Layout = 'list' | 'grid';

interface Props {
  containerRef: RefObject<HTMLDivElement>;
  layout: Layout;
  items: FileItem[];
  selection: Selection;
  label: string;
  loadingMore: boolean;
  render: (item: FileItem) => ComponentChildren;
  onColumns: (n: number) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  onNearEnd: () => void;
  onClickItem: (index: number, e: MouseEvent) => void;
  onOpenItem: (index: number) => void;
  onContextItem: (index: number, e: MouseEvent) => void;
  onBand: (rect: { x1: number; y1: number; x2: number; y2: number }, cell: { width: number; height: number; columns: number }, additive: boolean) => void;
  dragData: (index: number) => string | null;
  dragType: string;
  onDropOnItem: (index: number, e: DragEvent) => void;
}

const OVERSCAN = 6;

function metrics(layout: Layout, width: number) {
  const phone = width < 600;
  if (layout === 'list') return { columns: 1, width, height: phone ? 52 : 40 };
  const min = phone ? 120 : 168;
  const columns = Math.max(1, Math.floor(width / min));
  return { columns, width: width / columns, height: phone ? 150 : 184 };
}

export function VirtualView(p: Props) {
  const box = p.containerRef;
  const [size, setSize] = useState({ width: 800, height: 600 });
  const [scroll, setScroll] = useState(0);
  const [band, setBand] = useState<{ x1: number; y1: number; x2: number; y2: number } | null>(null);
  const [dropTarget, setDropTarget] = useState(-1);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = box.current!;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const m = metrics(p.layout, size.width);
  useEffect(() => p.onColumns(m.columns), [m.columns]);
  const rows = Math.ceil(p.items.length / m.columns);
  const first = Math.max(0, Math.floor(scroll / m.height) - OVERSCAN);
  const last = Math.min(rows - 1, Math.ceil((scroll + size.height) / m.height) + OVERSCAN);

  // Ask for the next page while a screenful or two is still left.
  useEffect(() => {
    if ((last + 1) * m.columns >= p.items.length - m.columns * 40) p.onNearEnd();
  }, [last, p.items.length, m.columns]);

  // Keep the focused item in view.
  useEffect(() => {
    const f = p.selection.focus;
    if (f < 0) return;
    const el = box.current!;
    const top = Math.floor(f / m.columns) * m.height;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + m.height > el.scrollTop + el.clientHeight) el.scrollTop = top + m.height - el.clientHeight;
  }, [p.selection.focus]);

  const indexAt = (e: MouseEvent) => {
    const cell = (e.target as HTMLElement).closest('[data-index]') as HTMLElement | null;
    return cell ? Number(cell.dataset.index) : -1;
  };

  const startBand = (e: MouseEvent) => {
    if (e.button !== 0 || indexAt(e) >= 0) return;
    const el = box.current!;
    const origin = el.getBoundingClientRect();
    const x1 = e.clientX - origin.left, y1 = e.clientY - origin.top + el.scrollTop;
    const additive = e.ctrlKey || e.metaKey || e.shiftKey;
    let moved = false;
    const move = (ev: MouseEvent) => {
      const r = { x1, y1, x2: ev.clientX - origin.left, y2: ev.clientY - origin.top + el.scrollTop };
      if (!moved && Math.abs(r.x2 - x1) + Math.abs(r.y2 - y1) < 6) return;
      moved = true;
      setBand(r);
      p.onBand(r, m, additive);
    };
    const up = (ev: MouseEvent) => {
      removeEventListener('mousemove', move);
      removeEventListener('mouseup', up);
      setBand(null);
      if (!moved && !additive) p.onClickItem(-1, ev);
    };
    addEventListener('mousemove', move);
    addEventListener('mouseup', up);
  };

  const cells = [];
  for (let i = first * m.columns; i <= Math.min(p.items.length - 1, (last + 1) * m.columns - 1); i++) {
    const item = p.items[i];
    const row = Math.floor(i / m.columns), col = i % m.columns;
    const selected = p.selection.ids.has(item.id);
    cells.push(
      <div
        key={item.id}
        id={'item-' + item.id}
        data-index={i}
        role="option"
        aria-selected={selected}
        aria-label={item.name}
        class={'cell ' + p.layout + (selected ? ' selected' : '') + (i === p.selection.focus ? ' focused' : '') + (dropTarget === i ? ' drop' : '') + (item.type === 1 ? ' folder' : '')}
        style={{ transform: `translate(${col * m.width}px, ${row * m.height}px)`, width: m.width + 'px', height: m.height + 'px' }}
        draggable
        onDragStart={(e) => {
          const data = p.dragData(i);
          if (!data) return e.preventDefault();
          e.dataTransfer!.setData(p.dragType, data);
          e.dataTransfer!.effectAllowed = 'copyMove';
        }}
        onDragOver={(e) => {
          if (item.type === 1 && e.dataTransfer?.types.includes(p.dragType)) {
            e.preventDefault();
            setDropTarget(i);
          }
        }}
        onDragLeave={() => setDropTarget(-1)}
        onDrop={(e) => {
          setDropTarget(-1);
          if (item.type === 1 && e.dataTransfer?.types.includes(p.dragType)) {
            e.preventDefault();
            e.stopPropagation();
            p.onDropOnItem(i, e);
          }
        }}
      >
        {p.render(item)}
      </div>,
    );
  }
  const focusedItem = p.selection.focus >= 0 ? p.items[p.selection.focus] : undefined;
  return (
    <div
      ref={box}
      class={'vview ' + p.layout}
      role="listbox"
      aria-multiselectable="true"
      aria-label={p.label}
      aria-activedescendant={focusedItem ? 'item-' + focusedItem.id : undefined}
      tabIndex={0}
      onScroll={(e) => {
        const top = (e.currentTarget as HTMLElement).scrollTop;
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => setScroll(top));
      }}
      onKeyDown={p.onKeyDown}
      onMouseDown={startBand}
      onClick={(e) => {
        const i = indexAt(e);
        if (i >= 0) p.onClickItem(i, e);
      }}
      onDblClick={(e) => {
        const i = indexAt(e);
        if (i >= 0) p.onOpenItem(i);
      }}
      onContextMenu={(e) => p.onContextItem(indexAt(e), e)}
    >
      <div class="vview-space" style={{ height: rows * m.height + (p.loadingMore ? 40 : 0) + 'px' }}>
        {cells}
        {band && (
          <div class="band" style={{
            left: Math.min(band.x1, band.x2) + 'px', top: Math.min(band.y1, band.y2) + 'px',
            width: Math.abs(band.x2 - band.x1) + 'px', height: Math.abs(band.y2 - band.y1) + 'px',
          }} />
        )}
      </div>
    </div>
  );
}
