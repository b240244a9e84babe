// Modal dialogs on the native <dialog> element (focus trap and Esc for
// free), opened imperatively: `await ask(...)` resolves with the answer.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { store, useStore } from '../lib/store';
import { t } from '../i18n';

interface Open {
  id: number;
  render: (close: (v: unknown) => void) => ComponentChildren;
  resolve: (v: unknown) => void;
  label: string;
}

const open = store<Open[]>([]);
let seq = 0;

export function showDialog<T>(label: string, render: (close: (v: T | null) => void) => ComponentChildren): Promise<T | null> {
  return new Promise((resolve) => {
    const id = ++seq;
    open.set((ds) => [...ds, { id, label, render: render as Open['render'], resolve: resolve as Open['resolve'] }]);
  });
}

function close(id: number, v: unknown) {
  const d = open.get().find((x) => x.id === id);
  open.set((ds) => ds.filter((x) => x.id !== id));
  d?.resolve(v);
}

export function DialogHost() {
  const ds = useStore(open);
  return (
    <>
      {ds.map((d) => (
        <Modal key={d.id} label={d.label} onClose={(v) => close(d.id, v)}>
          {d.render((v) => close(d.id, v))}
        </Modal>
      ))}
    </>
  );
}

function Modal({ label, onClose, children }: { label: string; onClose: (v: unknown) => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current!;
    const before = document.activeElement as HTMLElement | null;
    el.showModal();
    return () => before?.focus?.();
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-label={label}
      onCancel={(e) => {
        e.preventDefault();
        onClose(null);
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose(null);
      }}
    >
      {children}
    </dialog>
  );
}

export function confirmDialog(title: string, body: string, okLabel: string, danger = false) {
  return showDialog<boolean>(title, (close) => (
    <form
      method="dialog"
      onSubmit={(e) => {
        e.preventDefault();
        close(true);
      }}
    >
      <h2>{title}</h2>
      <p>{body}</p>
      <div class="actions">
        <button type="button" class="btn" onClick={() => close(null)}>{t('action.cancel')}</button>
        <button type="submit" class={danger ? 'btn danger' : 'btn primary'} autofocus>{okLabel}</button>
      </div>
    </form>
  ));
}

export function promptDialog(title: string, label: string, initial = '', okLabel = t('action.ok'), selectStem = false) {
  return showDialog<string>(title, (close) => <Prompt {...{ title, label, initial, okLabel, selectStem, close }} />);
}

function Prompt(p: { title: string; label: string; initial: string; okLabel: string; selectStem: boolean; close: (v: string | null) => void }) {
  const [v, setV] = useState(p.initial);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const el = input.current!;
    el.focus();
    const dot = p.initial.lastIndexOf('.');
    el.setSelectionRange(0, p.selectStem && dot > 0 ? dot : p.initial.length);
  }, []);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (v.trim()) p.close(v.trim());
      }}
    >
      <h2>{p.title}</h2>
      <label class="field">
        <span>{p.label}</span>
        <input ref={input} value={v} onInput={(e) => setV((e.target as HTMLInputElement).value)} required />
      </label>
      <div class="actions">
        <button type="button" class="btn" onClick={() => p.close(null)}>{t('action.cancel')}</button>
        <button type="submit" class="btn primary">{p.okLabel}</button>
      </div>
    </form>
  );
}
