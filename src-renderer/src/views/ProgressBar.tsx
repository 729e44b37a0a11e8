// One long operation's progress: a bar (indeterminate until the total is
// known) and the phase in words.
import type { Running } from '../store.ts';

export function ProgressBar(props: { running: Running }) {
  const { phase, loaded, total, subject } = props.running;
  const label = `${subject}: ${phase}${total ? ` ${loaded}/${total}` : ''}`;
  return (
    <span className="progressbar" role="progressbar" aria-label={`${props.running.operation} ${subject}`} aria-valuetext={label}>
      {total ? <progress value={loaded} max={total} /> : <progress />}
      <span>
        {phase}
        {total ? ` ${Math.round((100 * loaded) / total)}%` : '…'}
      </span>
    </span>
  );
}
