import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWrite } from '../../api/hooks';
import { ErrorNote, Outcome } from '../../components/bits';
import { rolesOf, useSession } from '../../session/session';

/** A regulator freezes or unfreezes a certificate or receivable (POST /freezes, /unfreezes); nobody else sees it. */
export function FreezeForm({
  kind,
  id,
  frozen,
}: {
  kind: 'certificate' | 'receivable';
  id: string;
  frozen: boolean;
}): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const [reason, setReason] = useState('');
  const write = useWrite<unknown>();
  if (!rolesOf(me).includes('REGULATOR')) return null;
  return (
    <section className="card" aria-labelledby="freeze-title">
      <h2 id="freeze-title">{frozen ? t('freeze.unfreeze') : t('freeze.freeze')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void (frozen ? write.run('/unfreezes', { kind, id }) : write.run('/freezes', { kind, id, reason }));
        }}
      >
        {frozen ? null : (
          <>
            <label htmlFor="freeze-reason">{t('freeze.reason')}</label>
            <input
              id="freeze-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              maxLength={500}
            />
          </>
        )}
        <button type="submit" disabled={write.busy}>
          {frozen ? t('freeze.unfreeze') : t('freeze.freeze')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </section>
  );
}
