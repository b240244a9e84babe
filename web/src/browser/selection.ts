// Selection and focus in a file list, as pure functions so they are easy to
// test: click selects one, ctrl/⌘ toggles, shift extends from the anchor.

export interface Selection {
  /** Selected item ids. */
  ids: Set<string>;
  /** Index of the focused item (-1 = none). */
  focus: number;
  /** Where a shift-extension starts. */
  anchor: number;
}

export const emptySelection = (): Selection => ({ ids: new Set(), focus: -1, anchor: -1 });

export interface ClickMods {
  shift?: boolean;
  toggle?: boolean;
}

export function clickAt(sel: Selection, ids: string[], index: number, mods: ClickMods = {}): Selection {
  if (index < 0 || index >= ids.length) return mods.toggle || mods.shift ? sel : emptySelection();
  if (mods.shift && sel.anchor >= 0) {
    const [a, b] = sel.anchor < index ? [sel.anchor, index] : [index, sel.anchor];
    const next = mods.toggle ? new Set(sel.ids) : new Set<string>();
    for (let i = a; i <= b; i++) next.add(ids[i]);
    return { ids: next, focus: index, anchor: sel.anchor };
  }
  if (mods.toggle) {
    const next = new Set(sel.ids);
    if (next.has(ids[index])) next.delete(ids[index]);
    else next.add(ids[index]);
    return { ids: next, focus: index, anchor: index };
  }
  return { ids: new Set([ids[index]]), focus: index, anchor: index };
}

/** Moves focus by delta (arrows); with shift the selection follows the range. */
export function moveFocus(sel: Selection, ids: string[], delta: number, shift: boolean): Selection {
  if (ids.length === 0) return sel;
  const from = sel.focus < 0 ? (delta > 0 ? -1 : ids.length) : sel.focus;
  const to = Math.max(0, Math.min(ids.length - 1, from + delta));
  if (shift) return clickAt(sel.anchor < 0 ? { ...sel, anchor: Math.max(0, from) } : sel, ids, to, { shift: true });
  return { ids: new Set([ids[to]]), focus: to, anchor: to };
}

export const selectAll = (ids: string[], focus: number): Selection => ({ ids: new Set(ids), focus, anchor: focus });

/** Keeps only ids still listed (after a reload or delete). */
export function prune(sel: Selection, ids: string[]): Selection {
  const present = new Set(ids);
  const kept = new Set([...sel.ids].filter((id) => present.has(id)));
  const focus = Math.min(sel.focus, ids.length - 1);
  return { ids: kept, focus, anchor: Math.min(sel.anchor, ids.length - 1) };
}

/** The indices a rubber band covers, for fixed-size cells laid out in columns. */
export function bandIndices(
  rect: { x1: number; y1: number; x2: number; y2: number },
  cell: { width: number; height: number; columns: number },
  count: number,
): number[] {
  const top = Math.min(rect.y1, rect.y2), bottom = Math.max(rect.y1, rect.y2);
  const left = Math.min(rect.x1, rect.x2), right = Math.max(rect.x1, rect.x2);
  const r0 = Math.max(0, Math.floor(top / cell.height)), r1 = Math.floor(bottom / cell.height);
  const c0 = Math.max(0, Math.floor(left / cell.width)), c1 = Math.min(cell.columns - 1, Math.floor(right / cell.width));
  const out: number[] = [];
  for (let r = r0; r <= r1; r++)
    for (let c = c0; c <= c1; c++) {
      const i = r * cell.columns + c;
      if (i < count) out.push(i);
    }
  return out;
}
