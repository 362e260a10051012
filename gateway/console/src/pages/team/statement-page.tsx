import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { asApiError, useLoad } from '../../api/hooks';
import type { ApiError } from '../../api/client';
import { EmptyNote, ErrorNote, Money } from '../../components/bits';
import { queryOf } from '../../api/paging';
import { dayStart } from '../../period';
import { saveFile } from '../../save-file';
import { enterpriseIdOf, useSession } from '../../session/session';
import { ExportsPanel } from '../reports/exports-panel';

interface Statement {
  readonly opening: string;
  readonly closing: string;
  readonly lines: readonly {
    readonly kind: string;
    readonly txId: string;
    readonly timestamp: string;
    readonly certificateIds: readonly string[];
    readonly change: string;
    readonly cash: string;
  }[];
}

const DAY_MS = 86_400_000;
const dayOf = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** The period's query: from the first day's start to the day after the last (the API's [from, to)). */
const periodQuery = (from: string, to: string): string => queryOf({ from: dayStart(from), to: dayStart(to, 1) });

/** An enterprise's statement (对账单) over a period, line by line, and the same as a CSV file to reconcile with. */
export function StatementPage(): ReactNode {
  const { t } = useTranslation();
  const { me, api } = useSession();
  const id = enterpriseIdOf(me) ?? '';
  const [from, setFrom] = useState(() => dayOf(Date.now() - 30 * DAY_MS));
  const [to, setTo] = useState(() => dayOf(Date.now()));
  const [downloadError, setDownloadError] = useState<ApiError | undefined>();
  const query = periodQuery(from, to);
  const statement = useLoad((a) => a.get<Statement>(`/enterprises/${seg(id)}/statement?${query}`), [id, query]);
  const download = async (): Promise<void> => {
    try {
      saveFile(
        await api.download(`/enterprises/${seg(id)}/statement?${query}&format=csv`),
        `statement-${from}-${to}.csv`,
      );
    } catch (error) {
      setDownloadError(asApiError(error));
    }
  };
  const s = statement.data;
  return (
    <article>
      <h1>{t('statement.title')}</h1>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="statement-from">{t('statement.from')}</label>{' '}
        <input id="statement-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />{' '}
        <label htmlFor="statement-to">{t('statement.to')}</label>{' '}
        <input id="statement-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />{' '}
        <button type="button" onClick={() => void download()}>
          {t('statement.csv')}
        </button>
      </form>
      <ErrorNote error={statement.error ?? downloadError} />
      {s ? (
        <>
          <p>
            {t('statement.opening')} <Money minor={s.opening} /> · {t('statement.closing')} <Money minor={s.closing} />
          </p>
          <table data-testid="statement">
            <thead>
              <tr>
                <th scope="col">{t('transaction.time')}</th>
                <th scope="col">{t('statement.kind')}</th>
                <th scope="col">{t('statement.change')}</th>
                <th scope="col">{t('statement.cash')}</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((line) => (
                <tr key={line.txId + line.kind}>
                  <td>{new Date(line.timestamp).toLocaleString()}</td>
                  <td>{line.kind}</td>
                  <td>
                    <Money minor={line.change} />
                  </td>
                  <td>
                    <Money minor={line.cash} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <EmptyNote items={s.lines} />
        </>
      ) : null}
      <ExportsPanel />
    </article>
  );
}
