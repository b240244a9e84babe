import { useStore } from '../lib/store';
import { toasts } from '../state';
import { Icon } from './Icon';

export function Toasts() {
  const ts = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {ts.map((x) => (
        <div key={x.id} class={'toast ' + (x.kind ?? '')}>
          <Icon name={x.kind === 'error' ? 'info' : 'check'} />
          <span>{x.text}</span>
          {x.action && (
            <button class="btn link" onClick={() => { x.action!.run(); toasts.set((all) => all.filter((y) => y.id !== x.id)); }}>
              {x.action.label}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
