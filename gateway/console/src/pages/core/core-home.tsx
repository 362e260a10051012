import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Page, Receivable } from '../../api/types';
import { EmptyNote, ErrorNote, Loading, Money, Outcome, Status } from '../../components/bits';
import { enterpriseIdOf, useSession } from '../../session/session';
import { Payouts } from './payouts';

const DAY_MS = 86_400_000;

/** Whole days from today (the browser's calendar, UTC) to a due date: negative once it has passed. */
export function daysUntil(dueDate: string, now = new Date()): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${dueDate}T00:00:00Z`) - today) / DAY_MS);
}

function PayForm({ receivable }: { receivable: Receivable }): ReactNode {
  const { t } = useTranslation();
  const [paymentRef, setPaymentRef] = useState('');
  const write = useWrite<unknown>();
  const amount = receivable.outstandingAmount ?? receivable.faceAmount;
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        void write.run(`/receivables/${seg(receivable.id)}/payments`, { amount, paymentRef });
      }}
    >
      <label htmlFor={`pay-ref-${receivable.id}`}>{t('core.paymentRef')}</label>{' '}
      <input
        id={`pay-ref-${receivable.id}`}
        value={paymentRef}
        onChange={(e) => setPaymentRef(e.target.value)}
        maxLength={128}
        required
      />{' '}
      <button type="submit" disabled={write.busy || paymentRef === ''}>
        {t('core.pay')} <Money minor={amount} />
      </button>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </form>
  );
}

/** A core enterprise's main page: what it owes, by due date, paying what is due and following each payout. */
export function CoreHome(): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = enterpriseIdOf(me) ?? '';
  const owed = useLoad(
    (api) => api.get<Page<Receivable>>(`/enterprises/${seg(id)}/receivables/owed?pageSize=200`),
    [id],
  );
  const items = [...(owed.data?.items ?? [])].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return (
    <article>
      <h1>{t('core.title')}</h1>
      <p>
        <Link href="/core/issue">{t('nav.issue')}</Link>
      </p>
      <Loading loading={owed.loading && !owed.data} />
      <ErrorNote error={owed.error} />
      <table data-testid="owed">
        <thead>
          <tr>
            <th scope="col">{t('receivable.id')}</th>
            <th scope="col">{t('receivable.creditor')}</th>
            <th scope="col">{t('receivable.face')}</th>
            <th scope="col">{t('receivable.due')}</th>
            <th scope="col">{t('core.daysLeft')}</th>
            <th scope="col">{t('receivable.status')}</th>
            <th scope="col">{t('core.action')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-testid={`owed-${r.id}`}>
              <td>
                <Link href={`/audit/receivables/${r.id}`}>
                  <code>{r.id}</code>
                </Link>
              </td>
              <td>{r.creditorId}</td>
              <td>
                <Money minor={r.faceAmount} currency={r.currency} />
              </td>
              <td>{r.dueDate}</td>
              <td>{daysUntil(r.dueDate)}</td>
              <td>
                <Status status={r.status} frozen={r.frozen} />
              </td>
              <td>
                {r.status === 'ACCEPTED' ? <PayForm receivable={r} /> : null}
                {r.status === 'SETTLING' || r.status === 'SETTLED' ? <Payouts receivableId={r.id} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <EmptyNote items={owed.data && items} />
    </article>
  );
}
