import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiClient, seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Page, Payout, Settlement } from '../../api/types';
import { EmptyNote, ErrorNote, Money, Outcome, Status } from '../../components/bits';

/** A receipt reference and a button: the one who received money says so, once (the cash leg). */
function Confirm({ id, path, label }: { id: string; path: string; label: string }): ReactNode {
  const { t } = useTranslation();
  const [receiptRef, setReceiptRef] = useState('');
  const write = useWrite<unknown>();
  return (
    <form className="inline" onSubmit={(e) => (e.preventDefault(), void write.run(path, { receiptRef }))}>
      <label htmlFor={id}>{t('payouts.receiptRef')}</label>{' '}
      <input id={id} value={receiptRef} onChange={(e) => setReceiptRef(e.target.value)} maxLength={128} />{' '}
      <button type="submit" disabled={write.busy || receiptRef === ''}>
        {label}
      </button>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </form>
  );
}

interface Owed {
  readonly payouts: readonly Payout[];
  /** The settlements this enterprise collects as the bank of their credit line. */
  readonly collected: readonly Settlement[];
}

async function owedTo(api: ApiClient, enterpriseId: string): Promise<Owed> {
  const { items } = await api.get<Page<Payout>>(`/enterprises/${seg(enterpriseId)}/payouts?pageSize=200`);
  const settlementIds = [...new Set(items.map((p) => p.settlementId))];
  const settlements = await Promise.all(
    settlementIds.map((id) => api.get<{ settlement: Settlement }>(`/settlements/${seg(id)}`)),
  );
  const collected = settlements.map((s) => s.settlement).filter((s) => s.collectingBankId === enterpriseId);
  return { payouts: items, collected };
}

/**
 * What settlements owe the enterprise: each payout, confirmed by the payee once the money
 * arrived; a collecting bank first confirms the debtor's payment arrived.
 */
export function PayoutsOwed({ enterpriseId }: { enterpriseId: string }): ReactNode {
  const { t } = useTranslation();
  const owed = useLoad((api) => owedTo(api, enterpriseId), [enterpriseId]);
  return (
    <section aria-labelledby="payouts-title">
      <h2 id="payouts-title">{t('payouts.title')}</h2>
      <ErrorNote error={owed.error} />
      <ul data-testid="payouts-owed">
        {(owed.data?.collected ?? []).map((s) => (
          <li key={s.id} data-testid={`collect-${s.id}`}>
            {t('payouts.collect')} <Money minor={s.amount} /> · <code>{s.receivableId}</code> ·{' '}
            <Status status={s.payment.status} />
            {s.payment.status === 'RECORDED' ? (
              <Confirm
                id={`collect-ref-${s.id}`}
                path={`/settlements/${seg(s.id)}/payment/confirmation`}
                label={t('payouts.confirmPayment')}
              />
            ) : null}
          </li>
        ))}
        {(owed.data?.payouts ?? []).map((p) => (
          <li key={p.settlementId + p.certificateId} data-testid={`payout-${p.certificateId}`}>
            <code>{p.certificateId}</code> · <Money minor={p.amount} /> · <Status status={p.status} />
            {p.status === 'PAYABLE' ? (
              <Confirm
                id={`payout-ref-${p.certificateId}`}
                label={t('payouts.confirmPayout')}
                path={`/settlements/${seg(p.settlementId)}/payouts/${seg(p.certificateId)}/confirmation`}
              />
            ) : null}
          </li>
        ))}
      </ul>
      <EmptyNote items={owed.data && [...owed.data.collected, ...owed.data.payouts]} />
    </section>
  );
}
