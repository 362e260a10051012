import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useWrite } from '../../api/hooks';
import type { Certificate } from '../../api/types';
import { ErrorNote, Money, Outcome } from '../../components/bits';
import { parseMajor, remainderOf } from '../../money';

const MAX_PARTS = 100;

/** Splits a piece into parts summing exactly to it: the remainder shows as one types; nothing is sent until it is 0. */
export function SplitForm({ certificate }: { certificate: Certificate }): ReactNode {
  const { t } = useTranslation();
  const [parts, setParts] = useState<string[]>(['', '']);
  const write = useWrite<unknown>();
  const { remainder, allValid } = remainderOf(BigInt(certificate.amount), parts);
  const ready = allValid && remainder === 0n && parts.length >= 2;
  const setPart = (index: number, value: string): void => setParts(parts.map((p, i) => (i === index ? value : p)));
  const submit = (): void => {
    const amounts = parts.map((p) => {
      const parsed = parseMajor(p);
      return parsed.ok ? parsed.minor.toString() : '';
    });
    void write.run(`/certificates/${seg(certificate.id)}/split`, { amounts });
  };
  return (
    <section className="card" aria-labelledby="split-title">
      <h2 id="split-title">{t('split.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) submit();
        }}
      >
        {parts.map((part, index) => (
          <div key={index} className="row">
            <label htmlFor={`split-${index}`}>{t('split.part', { n: index + 1 })}</label>
            <input
              id={`split-${index}`}
              inputMode="decimal"
              value={part}
              onChange={(e) => setPart(index, e.target.value)}
              aria-invalid={part !== '' && !parseMajor(part).ok}
            />
            {parts.length > 2 ? (
              <button type="button" onClick={() => setParts(parts.filter((_, i) => i !== index))}>
                {t('split.remove')}
              </button>
            ) : null}
          </div>
        ))}
        {parts.length < MAX_PARTS ? (
          <button type="button" onClick={() => setParts([...parts, ''])}>
            {t('split.add')}
          </button>
        ) : null}
        <p
          role="status"
          data-testid="split-remainder"
          className={remainder === 0n ? 'ok' : remainder < 0n ? 'error' : ''}
        >
          {t('split.remainder')}: <Money minor={remainder} currency={certificate.currency} />
          {allValid ? '' : ` · ${t('money.invalid')}`}
        </p>
        <button type="submit" disabled={!ready || write.busy}>
          {t('split.submit')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </section>
  );
}
