import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useWrite } from '../../api/hooks';
import type { Certificate } from '../../api/types';
import { ErrorNote, Money, Outcome } from '../../components/bits';
import { DID_PATTERN } from '../../rules';
import { offerDraft } from './offer-model';

/**
 * Offers the piece, or an exact part of it, to another enterprise until an expiry; what the
 * holder keeps shows as one types, and nothing is sent while the amount is not within the piece.
 */
export function OfferForm({ certificate }: { certificate: Certificate }): ReactNode {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [hours, setHours] = useState('24');
  const write = useWrite<unknown>();
  const draft = offerDraft(BigInt(certificate.amount), { to, amount, hours });
  const { kept, body } = draft;
  const ready = body !== undefined;
  const submit = (): void => {
    const path = `/certificates/${seg(certificate.id)}/offer`;
    // The expiry is computed once per action: a retry resends the same body with the same key.
    if (body) void write.run(path, body(new Date()), `${path} ${to} ${amount} ${hours}`);
  };
  return (
    <section className="card" aria-labelledby="offer-title">
      <h2 id="offer-title">{t('offer.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) submit();
        }}
      >
        <label htmlFor="offer-to">{t('offer.to')}</label>
        <input
          id="offer-to"
          value={to}
          onChange={(e) => setTo(e.target.value.trim())}
          placeholder="did:scf:…"
          aria-invalid={to !== '' && !DID_PATTERN.test(to)}
        />
        <label htmlFor="offer-amount">{t('offer.amount')}</label>
        <input
          id="offer-amount"
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          placeholder={t('offer.whole')}
          aria-invalid={amount !== '' && kept === undefined}
        />
        <label htmlFor="offer-hours">{t('offer.hours')}</label>
        <input id="offer-hours" inputMode="numeric" value={hours} onChange={(e) => setHours(e.target.value)} />
        <p role="status" data-testid="offer-remainder" className={kept !== undefined && kept < 0n ? 'error' : ''}>
          {t('offer.kept')}:{' '}
          {kept === undefined ? t('money.invalid') : <Money minor={kept} currency={certificate.currency} />}
        </p>
        <button type="submit" disabled={!ready || write.busy}>
          {t('offer.submit')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </section>
  );
}
