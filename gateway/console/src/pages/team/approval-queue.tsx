import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Page } from '../../api/types';
import { ErrorNote, Outcome, RefuseWithReason } from '../../components/bits';
import { ListSection } from '../../components/list-section';

interface Instruction {
  readonly id: string;
  readonly transaction: string;
  readonly args: readonly string[];
  readonly argsHash: string;
  readonly maker: { readonly userId: string };
  readonly expiresAt: string;
}

function Pending({ instruction }: { instruction: Instruction }): ReactNode {
  const { t } = useTranslation();
  const write = useWrite<unknown>();
  const path = `/instructions/${seg(instruction.id)}`;
  return (
    <li data-testid={`instruction-${instruction.id}`}>
      <strong>{instruction.transaction}</strong> <code>{instruction.args.join(', ')}</code> · {t('team.maker')}{' '}
      {instruction.maker.userId} · {t('supplier.until')} {new Date(instruction.expiresAt).toLocaleString()}{' '}
      <button
        type="button"
        disabled={write.busy}
        onClick={() => void write.run(`${path}/approve`, { argsHash: instruction.argsHash })}
      >
        {t('team.approve')}
      </button>{' '}
      <RefuseWithReason busy={write.busy} onRefuse={(reason) => void write.run(`${path}/reject`, { reason })} />
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </li>
  );
}

/** Four eyes: what the enterprise's makers proposed and a checker must approve (the checker is never the maker). */
export function ApprovalQueue({ enterpriseId }: { enterpriseId: string }): ReactNode {
  const { t } = useTranslation();
  const pending = useLoad(
    (api) => api.get<Page<Instruction>>(`/enterprises/${seg(enterpriseId)}/instructions/pending`),
    [enterpriseId],
  );
  return (
    <ListSection
      id="queue-title"
      title={t('team.queue')}
      error={pending.error}
      items={pending.data?.items ?? []}
      render={(i) => <Pending key={i.id} instruction={i} />}
    />
  );
}
