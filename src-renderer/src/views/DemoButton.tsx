// The empty first screen's way in: one click makes the demo workspace (two
// local Git repositories written by Porchlight, registered) and shows it.
import { runningKey, useStore } from '../store.ts';
import { ProgressBar } from './ProgressBar.tsx';

export function DemoButton() {
  const { tryDemo, running } = useStore();
  const busy = running[runningKey('sync', 'demo')];
  return (
    <div className="demo">
      <button className="primary" onClick={() => void tryDemo()} disabled={Boolean(busy)}>
        Try the demo
      </button>{' '}
      <span>A blueprint catalog and a deployment repository, made on this machine (no network), with a draft and a proposal to try.</span>
      {busy && <ProgressBar running={busy} />}
    </div>
  );
}
