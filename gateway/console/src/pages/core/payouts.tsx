import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiClient, seg } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Payout, Settlement } from '../../api/types';
import { EmptyNote, ErrorNote, Money, Status } from '../../components/bits';

async function payoutsOf(
  api: ApiClient,
  receivableId: string,
): Promise<{ settlement: Settlement; payouts: Payout[] }[]> {
  const { items } = await api.get<{ items: Settlement[] }>(`/receivables/${seg(receivableId)}/settlements`);
  return Promise.all(
    items.map((s) => api.get<{ settlement: Settlement; payouts: Payout[] }>(`/settlements/${seg(s.id)}`)),
  );
}

/** Each payment of a receivable with every payout's status (payable, held, paid). */
export function Payouts({ receivableId }: { receivableId: string }): ReactNode {
  const { t } = useTranslation();
  const loaded = useLoad((api) => payoutsOf(api, receivableId), [receivableId]);
  return (
    <div data-testid={`payouts-${receivableId}`}>
      <ErrorNote error={loaded.error} />
      {(loaded.data ?? []).map(({ settlement, payouts }) => (
        <details key={settlement.id} open>
          <summary>
            {t('core.payment')} <Money minor={settlement.amount} /> · <Status status={settlement.payment.status} />
          </summary>
          <ul>
            {payouts.map((p) => (
              <li key={p.certificateId}>
                {p.payeeId} · <Money minor={p.amount} /> · <Status status={p.status} />
              </li>
            ))}
          </ul>
        </details>
      ))}
      <EmptyNote items={loaded.data} />
    </div>
  );
}
