// A small observable value: the app's state lives in a few of these, one
// per feature, instead of a global state library.
import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(v: T | ((old: T) => T)): void;
  subscribe(fn: (v: T) => void): () => void;
}

export function store<T>(initial: T): Store<T> {
  let value = initial;
  const subs = new Set<(v: T) => void>();
  return {
    get: () => value,
    set(v) {
      const next = typeof v === 'function' ? (v as (old: T) => T)(value) : v;
      if (Object.is(next, value)) return;
      value = next;
      for (const fn of [...subs]) fn(value);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export function useStore<T>(s: Store<T>): T {
  const [, force] = useState(0);
  useEffect(() => s.subscribe(() => force((n) => n + 1)), [s]);
  return s.get();
}
