import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useLiveVersion } from '../live/live';
import { useSession } from '../session/session';
import { ApiError, type ApiClient } from './client';
import type { WriteOutcome } from './types';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Reads with the session's client; reads again when `deps` change or the event stream reports
 * a change, keeping the last answer on screen meanwhile.
 */
export function useLoad<T>(read: (api: ApiClient) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const { api } = useSession();
  const live = useLiveVersion();
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify([live, nonce, ...deps]);
  const [state, setState] = useState<{ key?: string; data?: T; error?: ApiError }>({});
  const readNow = useEffectEvent(() => read(api));
  useEffect(() => {
    let current = true;
    readNow().then(
      (data) => current && setState({ key, data }),
      (error: unknown) => current && setState({ key, error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [key, api]);
  return { data: state.data, error: state.error, loading: state.key !== key, reload: () => setNonce((n) => n + 1) };
}

export const asApiError = (error: unknown): ApiError =>
  error instanceof ApiError ? error : new ApiError(0, 'NETWORK', (error as Error).message);

export interface Write<T> {
  readonly busy: boolean;
  readonly error: ApiError | undefined;
  readonly outcome: WriteOutcome<T> | undefined;
  /**
   * Sends the write. `action` names the user's action (by default the path and body): sent
   * again after a failure, the same action resends its first body with its Idempotency-Key,
   * even where the body holds a time computed when it was first sent.
   */
  run(path: string, body: unknown, action?: string): Promise<WriteOutcome<T> | undefined>;
}

/**
 * One user action's write. Its Idempotency-Key (crypto.randomUUID) is made when the action
 * is first sent and kept while it is retried, so a retry after a lost answer never builds a
 * second transaction; a changed request is a new action with a new key.
 */
/** `flow`: the write answers with its own shape rather than a transaction's `{txId, result}`. */
export function useWrite<T>(kind: 'transaction' | 'flow' = 'transaction'): Write<T> {
  const { api } = useSession();
  const attempt = useRef<{ action: string; key: string; path: string; body: unknown } | undefined>(undefined);
  const [state, setState] = useState<{ busy: boolean; error?: ApiError; outcome?: WriteOutcome<T> }>({ busy: false });
  const run = useCallback(
    async (path: string, body: unknown, action = `${path} ${JSON.stringify(body)}`) => {
      if (attempt.current?.action !== action) attempt.current = { action, key: crypto.randomUUID(), path, body };
      const sent = attempt.current;
      setState({ busy: true });
      try {
        const send = kind === 'flow' ? api.post.bind(api) : api.write.bind(api);
        const outcome = await send<T>(sent.path, sent.body, sent.key);
        attempt.current = undefined;
        setState({ busy: false, outcome });
        return outcome;
      } catch (error) {
        setState({ busy: false, error: asApiError(error) });
        return undefined;
      }
    },
    [api, kind],
  );
  return { ...state, error: state.error, outcome: state.outcome, run };
}
