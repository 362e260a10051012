import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { followEvents, type LedgerEvent } from '../api/events';
import type { ApiClient } from '../api/client';

interface Live {
  /** Bumped when committed events arrive (at most once a second): open views read again. */
  readonly version: number;
  readonly last: LedgerEvent | undefined;
  /** The stream is open (it starts from now, so no event may have come yet). */
  readonly connected: boolean;
}

const LiveContext = createContext<Live>({ version: 0, last: undefined, connected: false });

const QUIET_MS = 1000;

/** Follows the caller's event stream for as long as the session lasts. */
export function LiveProvider({ api, children }: { api: ApiClient; children: ReactNode }): ReactNode {
  const [live, setLive] = useState<Live>({ version: 0, last: undefined, connected: false });
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: LedgerEvent | undefined;
    void followEvents(
      api,
      (event) => {
        pending = event;
        // A burst (a reconnection catching up, a busy second) becomes one refresh.
        timer ??= setTimeout(() => {
          timer = undefined;
          setLive((l) => ({ ...l, version: l.version + 1, last: pending }));
        }, QUIET_MS);
      },
      abort.signal,
      (connected) => setLive((l) => (l.connected === connected ? l : { ...l, connected })),
    );
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export const useLiveVersion = (): number => useContext(LiveContext).version;
export const useLive = (): Live => useContext(LiveContext);
