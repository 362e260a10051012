import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Page, Receivable } from '../../api/types';
import { ErrorNote, Money, Outcome, RefuseWithReason } from '../../components/bits';
import { ProposeInstead } from '../../components/propose-instead';
import { ListSection } from '../../components/list-section';

function Decision({ receivable }: { receivable: Receivable }): ReactNode {
  const { t } = useTranslation();
  const write = useWrite<unknown>();
  const path = `/receivables/${seg(receivable.id)}`;
  return (
    <li data-testid={`to-accept-${receivable.id}`}>
      <code>{receivable.id}</code> · {receivable.debtorId} ·{' '}
      <Money minor={receivable.faceAmount} currency={receivable.currency} /> · {t('receivable.due')}{' '}
      {receivable.dueDate}{' '}
      <button type="button" disabled={write.busy} onClick={() => void write.run(`${path}/accept`, {})}>
        {t('supplier.accept')}
      </button>{' '}
      <RefuseWithReason busy={write.busy} onRefuse={(reason) => void write.run(`${path}/refuse`, { reason })} />
      <ErrorNote error={write.error} />
      <ProposeInstead error={write.error} transaction="Receivable:Accept" args={[receivable.id]} />
      <Outcome outcome={write.outcome} />
    </li>
  );
}

/** Receivables issued to the supplier and awaiting its signature (签收) or refusal. */
export function ReceivablesToAccept({ enterpriseId }: { enterpriseId: string }): ReactNode {
  const { t } = useTranslation();
  const held = useLoad(
    (api) => api.get<Page<Receivable>>(`/enterprises/${seg(enterpriseId)}/receivables/held?pageSize=200`),
    [enterpriseId],
  );
  const waiting = (held.data?.items ?? []).filter((r) => r.status === 'ISSUED');
  return (
    <ListSection
      id="to-accept-title"
      title={t('supplier.toAccept')}
      error={held.error}
      items={waiting}
      render={(r) => <Decision key={r.id} receivable={r} />}
    />
  );
}
