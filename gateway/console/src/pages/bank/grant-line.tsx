import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWrite } from '../../api/hooks';
import { ErrorNote, Money, Outcome } from '../../components/bits';
import { parseMajor } from '../../money';
import { CURRENCY_PATTERN, DID_PATTERN, isCalendarDate } from '../../rules';

/** A bank grants a core enterprise a credit line: its limit stays on the bank's own peers (private terms). */
export function GrantLine(): ReactNode {
  const { t } = useTranslation();
  const [form, setForm] = useState({ coreId: '', limit: '', currency: 'CNY', expires: '' });
  const write = useWrite<unknown>();
  const limit = parseMajor(form.limit);
  const valid =
    DID_PATTERN.test(form.coreId) && limit.ok && CURRENCY_PATTERN.test(form.currency) && isCalendarDate(form.expires);
  const submit = (): void => {
    if (!valid || !limit.ok) return;
    const body = {
      coreId: form.coreId,
      currency: form.currency,
      limit: limit.minor.toString(),
      expiresAt: `${form.expires}T16:00:00Z`,
    };
    void write.run('/credit-lines', body);
  };
  const field = (name: keyof typeof form, type = 'text'): ReactNode => (
    <div className="row">
      <label htmlFor={`line-${name}`}>{t(`bank.line.${name}`)}</label>
      <input
        id={`line-${name}`}
        type={type}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value.trim() })}
      />
    </div>
  );
  return (
    <section className="card" aria-labelledby="grant-title">
      <h2 id="grant-title">{t('bank.line.title')}</h2>
      <form onSubmit={(e) => (e.preventDefault(), submit())}>
        {field('coreId')}
        {field('limit')}
        {field('currency')}
        {field('expires', 'date')}
        {limit.ok ? (
          <p className="hint">
            <Money minor={limit.minor} currency={form.currency} />
          </p>
        ) : null}
        <button type="submit" disabled={!valid || write.busy}>
          {t('bank.line.submit')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </section>
  );
}
