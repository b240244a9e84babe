// Menus: a button that opens a list of actions, and the context menu opened
// by right-click or the "⋯" button. Arrow keys move, Enter runs, Esc closes.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Icon, type IconName } from './Icon';
import { store, useStore } from '../lib/store';

export interface MenuItem {
  label: string;
  icon?: IconName;
  run: () => void;
  disabled?: boolean;
  danger?: boolean;
  shortcut?: string;
}

export function Menu(p: { items: MenuItem[]; label: string; children: ComponentChildren; class?: string }) {
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const btn = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={btn}
        class={'btn menu-btn ' + (p.class ?? '')}
        aria-haspopup="menu"
        aria-expanded={!!at}
        aria-label={p.label}
        onClick={() => {
          const r = btn.current!.getBoundingClientRect();
          setAt(at ? null : { x: r.right, y: r.bottom + 4 });
        }}
      >
        {p.children}
      </button>
      {at && <MenuList items={p.items} x={at.x} y={at.y} alignRight label={p.label} onClose={() => { setAt(null); btn.current?.focus(); }} />}
    </>
  );
}

interface ContextState {
  items: MenuItem[];
  x: number;
  y: number;
  label: string;
}
const context = store<ContextState | null>(null);

export function openContextMenu(items: MenuItem[], x: number, y: number, label: string) {
  context.set({ items, x, y, label });
}

export function ContextMenuHost() {
  const c = useStore(context);
  if (!c) return null;
  return <MenuList {...c} onClose={() => context.set(null)} />;
}

function MenuList(p: { items: MenuItem[]; x: number; y: number; alignRight?: boolean; label: string; onClose: () => void }) {
  const ref = useRef<HTMLUListElement>(null);
  // Focus goes back where it was (the list, the button) when the menu closes.
  const opener = useRef(document.activeElement as HTMLElement | null);
  const [pos, setPos] = useState({ left: p.x, top: p.y });
  useLayoutEffect(() => {
    const el = ref.current!;
    const w = el.offsetWidth, h = el.offsetHeight;
    let left = p.alignRight ? p.x - w : p.x;
    let top = p.y;
    left = Math.max(8, Math.min(left, innerWidth - w - 8));
    if (top + h > innerHeight - 8) top = Math.max(8, innerHeight - h - 8);
    setPos({ left, top });
    (el.querySelector('[role=menuitem]:not([aria-disabled=true])') as HTMLElement | null)?.focus();
  }, [p.x, p.y]);
  useEffect(() => {
    const away = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) p.onClose();
    };
    const t = setTimeout(() => {
      addEventListener('mousedown', away);
      addEventListener('contextmenu', away);
    });
    addEventListener('resize', p.onClose);
    return () => {
      clearTimeout(t);
      removeEventListener('mousedown', away);
      removeEventListener('contextmenu', away);
      removeEventListener('resize', p.onClose);
      const before = opener.current;
      if (before && document.contains(before) && !document.querySelector('dialog[open]')) before.focus();
    };
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const items = [...ref.current!.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') p.onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <ul ref={ref} class="menu" role="menu" aria-label={p.label} style={{ left: pos.left + 'px', top: pos.top + 'px' }} onKeyDown={onKey}>
      {p.items.map((it) => (
        <li
          key={it.label}
          role="menuitem"
          tabIndex={-1}
          aria-disabled={it.disabled || undefined}
          aria-keyshortcuts={it.shortcut}
          class={it.danger ? 'danger' : ''}
          onClick={() => {
            if (it.disabled) return;
            p.onClose();
            it.run();
          }}
          onKeyDown={(e) => {
            if ((e.key === 'Enter' || e.key === ' ') && !it.disabled) {
              e.preventDefault();
              p.onClose();
              it.run();
            }
          }}
        >
          {it.icon && <Icon name={it.icon} size={18} />}
          <span>{it.label}</span>
          {it.shortcut && <kbd aria-hidden="true">{it.shortcut}</kbd>}
        </li>
      ))}
    </ul>
  );
}
