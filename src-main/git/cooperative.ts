// Long loops over cached objects resolve promise after promise without ever
// giving the event loop a turn: on the service's thread that held every call
// from the window for hundreds of milliseconds during a sync. A yielder lets
// the loop continue at once, except every few milliseconds when it steps
// aside for whatever is waiting.
export function cooperative(sliceMs = 8): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}
