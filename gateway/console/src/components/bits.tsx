import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ApiError } from '../api/client';
import type { WriteOutcome } from '../api/types';
import { useSession } from '../session/session';
import { formatMinor } from '../money';

/**
 * A refusal in the reader's language: the dictionary's text for its stable code (the gateway's
 * own message when the code is not one the dictionaries know), and the gateway's message,
 * which names the field or record, under "details".
 */
export function ErrorNote({ error }: { error: ApiError | undefined }): ReactNode {
  const { t } = useTranslation();
  if (!error) return null;
  const text = t(`errors.${error.code}` as 'errors.INTERNAL', { defaultValue: error.message });
  return (
    <div role="alert" className="error">
      <p>
        <code>{error.code}</code> {text}
        {error.retryable ? ` — ${t('common.retrySame')}` : ''}
      </p>
      {text === error.message ? null : (
        <details>
          <summary>{t('errors.detail')}</summary>
          <span lang="en">{error.message}</span>
        </details>
      )}
    </div>
  );
}

/** "Nothing here" once a list has loaded empty (not while it loads, nor when it failed). */
export function EmptyNote({ items }: { items: readonly unknown[] | undefined }): ReactNode {
  const { t } = useTranslation();
  return items?.length === 0 ? <p className="empty">{t('common.none')}</p> : null;
}

export function Money({ minor, currency }: { minor: string | bigint; currency?: string }): ReactNode {
  return (
    <span className="money">
      {formatMinor(minor)}
      {currency ? ` ${currency}` : ''}
    </span>
  );
}

export function Status({ status, frozen }: { status: string; frozen?: unknown }): ReactNode {
  const { t } = useTranslation();
  return (
    <span className={`status status-${status.toLowerCase()}`}>
      {t(`status.${status}` as 'status.ACTIVE', { defaultValue: status })}
      {frozen ? ` · ${t('status.FROZEN')}` : ''}
    </span>
  );
}

export function Loading({ loading }: { loading: boolean }): ReactNode {
  const { t } = useTranslation();
  return loading ? (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  ) : null;
}

/** A write's outcome: committed (with its transaction) or still waiting for its commit, followed until it lands. */
export function Outcome({ outcome }: { outcome: WriteOutcome<unknown> | undefined }): ReactNode {
  const { t } = useTranslation();
  const { api } = useSession();
  const [landed, setLanded] = useState(false);
  useEffect(() => {
    if (outcome?.status !== 'pending') return;
    let stop = false;
    const poll = async (): Promise<void> => {
      while (!stop) {
        const found = await api.get(`/transactions/${outcome.txId}`).then(
          () => true,
          () => false,
        );
        if (found) return void setLanded(true);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [api, outcome]);
  if (!outcome || outcome.status === 'answered') return null;
  const done = outcome.status === 'committed' || landed;
  return (
    <p role="status" className={done ? 'ok' : 'pending'}>
      {done ? t('common.committed') : t('common.pending')}{' '}
      <Link href={`/audit/transactions/${outcome.txId}`}>{outcome.txId.slice(0, 12)}…</Link>
    </p>
  );
}

export const shortId = (id: string): string => (id.length > 16 ? `${id.slice(0, 10)}…${id.slice(-4)}` : id);

/** A reason to type, then the refusal sent with it (a receivable refused, an instruction rejected). */
export function RefuseWithReason({ busy, onRefuse }: { busy: boolean; onRefuse: (reason: string) => void }): ReactNode {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <>
      <label>
        {t('common.reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </label>{' '}
      <button type="button" disabled={busy || reason === ''} onClick={() => onRefuse(reason)}>
        {t('supplier.refuse')}
      </button>
    </>
  );
}
