import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { asApiError, useWrite } from '../../api/hooks';
import type { Certificate, Price } from '../../api/types';
import { ErrorNote, Money, Outcome } from '../../components/bits';
import { digestOfFile } from '../../documents';
import { parseMajor } from '../../money';
import { DID_PATTERN, isCalendarDate, percentToBps } from '../../rules';
import { useSession } from '../../session/session';

interface FieldProps {
  readonly id: string;
  readonly value: string;
  onChange(e: { target: { value: string } }): void;
}

interface Ask {
  readonly certificateId: string;
  readonly bankId: string;
  readonly requestedAmount: string;
  readonly annualRateBps: number;
  readonly feeAmount: string;
  readonly tenorEnd: string;
}

function askOf(
  certificate: Certificate,
  form: Record<'bank' | 'amount' | 'rate' | 'fee' | 'tenorEnd', string>,
  dueDate: string,
): Ask | undefined {
  const amount = parseMajor(form.amount);
  const fee =
    form.fee.trim() === '' || form.fee.trim() === '0' ? { ok: true as const, minor: 0n } : parseMajor(form.fee);
  const rate = percentToBps(form.rate);
  const fits = amount.ok && amount.minor <= BigInt(certificate.amount);
  const tenorOk = isCalendarDate(form.tenorEnd) && form.tenorEnd <= dueDate;
  if (!DID_PATTERN.test(form.bank) || !fits || !fee.ok || rate === undefined || !tenorOk || !amount.ok)
    return undefined;
  return {
    certificateId: certificate.id,
    bankId: form.bank,
    requestedAmount: amount.minor.toString(),
    annualRateBps: rate,
    feeAmount: fee.minor.toString(),
    tenorEnd: form.tenorEnd,
  };
}

/** Asks a bank's price for financing the piece (a read on the bank's peers), then applies on those terms. */
export function FinanceForm({ certificate, dueDate }: { certificate: Certificate; dueDate: string }): ReactNode {
  const { t } = useTranslation();
  const { api } = useSession();
  const [form, setForm] = useState({ bank: 'did:scf:bank-one', amount: '', rate: '', fee: '0', tenorEnd: dueDate });
  const [mode, setMode] = useState<'PLEDGE' | 'ASSIGNMENT'>('PLEDGE');
  const [documents, setDocuments] = useState<File | undefined>();
  const [quote, setQuote] = useState<{ price?: Price; error?: ApiError }>({});
  const write = useWrite<unknown>();
  const ask = askOf(certificate, form, dueDate);
  const field = (name: keyof typeof form): FieldProps => ({
    id: `finance-${name}`,
    value: form[name],
    onChange: (e: { target: { value: string } }) => {
      setForm({ ...form, [name]: e.target.value });
      setQuote({});
    },
  });
  const askQuote = async (): Promise<void> => {
    if (!ask) return;
    try {
      setQuote({ price: await api.read<Price>('/financings/quote', ask) });
    } catch (error) {
      setQuote({ error: asApiError(error) });
    }
  };
  const apply = async (): Promise<void> => {
    const documentsHash = await digestOfFile(documents);
    if (ask && documentsHash) await write.run('/financings', { ...ask, mode, documentsHash });
  };
  return (
    <section className="card" aria-labelledby="finance-title">
      <h2 id="finance-title">{t('finance.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <label htmlFor="finance-bank">{t('finance.bank')}</label>
        <input {...field('bank')} />
        <label htmlFor="finance-amount">{t('finance.amount')}</label>
        <input {...field('amount')} inputMode="decimal" />
        <label htmlFor="finance-rate">{t('finance.rate')}</label>
        <input {...field('rate')} inputMode="decimal" placeholder="3.85" />
        <label htmlFor="finance-fee">{t('finance.fee')}</label>
        <input {...field('fee')} inputMode="decimal" />
        <label htmlFor="finance-tenorEnd">{t('finance.tenorEnd')}</label>
        <input {...field('tenorEnd')} type="date" max={dueDate} />
        <label htmlFor="finance-mode">{t('finance.mode')}</label>
        <select id="finance-mode" value={mode} onChange={(e) => setMode(e.target.value as 'PLEDGE' | 'ASSIGNMENT')}>
          <option value="PLEDGE">{t('finance.pledge')}</option>
          <option value="ASSIGNMENT">{t('finance.assignment')}</option>
        </select>
        <label htmlFor="finance-documents">{t('finance.documents')}</label>
        <input id="finance-documents" type="file" onChange={(e) => setDocuments(e.target.files?.[0])} />
        <div className="row">
          <button type="button" disabled={!ask} onClick={() => void askQuote()}>
            {t('finance.quote')}
          </button>
          <button type="submit" disabled={!ask || !quote.price || !documents || write.busy}>
            {t('finance.apply')}
          </button>
        </div>
      </form>
      <ErrorNote error={quote.error} />
      {quote.price ? (
        <p role="status" data-testid="quote">
          {t('finance.disbursed')}: <Money minor={quote.price.disbursedAmount} currency={certificate.currency} /> ·{' '}
          {t('finance.interest')}: <Money minor={quote.price.interestAmount} /> · {t('finance.fee')}:{' '}
          <Money minor={quote.price.feeAmount} /> · {quote.price.days} {t('finance.days')}
        </p>
      ) : null}
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </section>
  );
}
