import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiClient, seg } from '../../api/client';
import { useLoad, useWrite, type Write } from '../../api/hooks';
import type { Attestations, Financing, FinancingTerms, SubjectCredentials } from '../../api/types';
import { ErrorNote, Loading, Money, Outcome, Status } from '../../components/bits';
import { LineageList } from '../audit/lineage-list';

interface Dossier {
  readonly financing: Financing;
  readonly terms: FinancingTerms;
  readonly attestations: Attestations;
  readonly credentials: SubjectCredentials;
}

/**
 * What a bank reads before deciding: the application, its price, who attested its documents
 * (the financing's attestations: the bank reads the receivable only through the piece's lineage),
 * the applicant's credentials.
 */
async function dossierOf(api: ApiClient, id: string): Promise<Dossier> {
  const financing = await api.get<Financing>(`/financings/${seg(id)}`);
  const [terms, attestations, credentials] = await Promise.all([
    api.get<FinancingTerms>(`/financings/${seg(id)}/terms`),
    api.get<Attestations>(`/financings/${seg(id)}/attestations`),
    api.get<SubjectCredentials>(`/enterprises/${seg(financing.applicantId)}/credentials`),
  ]);
  return { financing, terms, attestations, credentials };
}

function Decide({ dossier, write }: { dossier: Dossier; write: Write<unknown> }): ReactNode {
  const { t } = useTranslation();
  const [paymentRef, setPaymentRef] = useState('');
  const [reason, setReason] = useState('');
  const price = dossier.terms.price;
  const path = `/financings/${seg(dossier.financing.id)}`;
  if (dossier.financing.status !== 'APPLIED' || !price) return null;
  return (
    <section className="card" aria-labelledby="decide-title">
      <h2 id="decide-title">{t('bank.decide')}</h2>
      <p data-testid="price">
        {t('finance.disbursed')}: <Money minor={price.disbursedAmount} /> · {t('finance.interest')}:{' '}
        <Money minor={price.interestAmount} /> · {t('finance.fee')}: <Money minor={price.feeAmount} /> ·{' '}
        {t('bank.valueDate')} {price.valueDate} → {price.tenorEnd}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void write.run(`${path}/approve`, { disbursedAmount: price.disbursedAmount, paymentRef });
        }}
      >
        <label htmlFor="approve-ref">{t('bank.paymentRef')}</label>
        <input id="approve-ref" value={paymentRef} onChange={(e) => setPaymentRef(e.target.value)} maxLength={128} />
        <button type="submit" disabled={write.busy || paymentRef === ''}>
          {t('bank.approve')}
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void write.run(`${path}/reject`, { reason });
        }}
      >
        <label htmlFor="reject-reason">{t('common.reason')}</label>
        <input id="reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <button type="submit" disabled={write.busy || reason === ''}>
          {t('bank.reject')}
        </button>
      </form>
    </section>
  );
}

/** One application as its bank decides it: the piece's lineage, attestations, credentials and price. */
export function ApplicationView({ params }: { params: { id: string } }): ReactNode {
  const { t } = useTranslation();
  const dossier = useLoad((api) => dossierOf(api, params.id), [params.id]);
  // Held here, not in the decision form: the form goes once the application is decided, its outcome stays.
  const decision = useWrite<unknown>();
  const d = dossier.data;
  return (
    <article>
      <h1>{t('bank.application')}</h1>
      <Loading loading={dossier.loading && !d} />
      <ErrorNote error={dossier.error} />
      {d ? (
        <>
          <dl className="facts">
            <dt>{t('bank.financing')}</dt>
            <dd>
              <code>{d.financing.id}</code>
            </dd>
            <dt>{t('bank.applicant')}</dt>
            <dd>{d.financing.applicantId}</dd>
            <dt>{t('finance.mode')}</dt>
            <dd>{d.financing.mode}</dd>
            <dt>{t('receivable.status')}</dt>
            <dd>
              <Status status={d.financing.status} />
            </dd>
          </dl>
          <Decide dossier={d} write={decision} />
          <ErrorNote error={decision.error} />
          <Outcome outcome={decision.outcome} />
          <LineageList certificateId={d.financing.certificateId} />
          <section aria-labelledby="attest-title">
            <h2 id="attest-title">{t('bank.attestations')}</h2>
            <ul data-testid="attestations">
              {d.attestations.items.map(({ attestation, identityStillBound, credentials }) => (
                <li key={attestation.txId + attestation.field}>
                  {attestation.field} · <code>{attestation.hash.slice(0, 16)}…</code> ·{' '}
                  {identityStillBound ? t('bank.bound') : t('bank.unbound')} ·{' '}
                  {credentials.map((c) => `${c.type} (${c.issuerId}): ${c.outcome}`).join('; ') || t('common.none')}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="cred-title">
            <h2 id="cred-title">{t('bank.credentials')}</h2>
            {d.credentials.items.length === 0 ? (
              <p>{t('common.none')}</p>
            ) : (
              <ul>
                {d.credentials.items.map(({ credential, outcome }) => (
                  <li key={credential.id}>
                    {credential.type} · {credential.issuerId} · {outcome}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </article>
  );
}
