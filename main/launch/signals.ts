/**
 * Ctrl+C and SIGTERM, watched from the launcher's first moment: a stop asked for while the workspace is still
 * opening is kept and honoured once it is open (closing it cleanly) instead of killing the process mid-way.
 */
export interface StopSignals {
  /** The first SIGINT or SIGTERM. */
  first: Promise<NodeJS.Signals>;
  /** Whether a stop was asked for already. */
  requested(): boolean;
  /** Stop watching (the handlers are removed). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** `onAgain` hears every signal after the first (a person pressing Ctrl+C twice wants out now). */
export function watchStopSignals(onAgain: (signal: NodeJS.Signals) => void): StopSignals {
  let seen = false;
  let resolveFirst: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  const handler = (signal: NodeJS.Signals) => {
    if (seen) return onAgain(signal);
    seen = true;
    resolveFirst(signal);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    first,
    requested: () => seen,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}
