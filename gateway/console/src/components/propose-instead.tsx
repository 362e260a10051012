import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { useWrite } from '../api/hooks';
import { ErrorNote, Outcome } from './bits';

const DAY_MS = 86_400_000;

/**
 * Four eyes: where the policy refused a direct call (409 FOUR_EYES_REQUIRED), the maker
 * proposes the same transaction as an instruction for a checker (POST /instructions).
 */
export function ProposeInstead(props: { error: ApiError | undefined; transaction: string; args: string[] }): ReactNode {
  const { t } = useTranslation();
  const write = useWrite<unknown>();
  if (props.error?.code !== 'FOUR_EYES_REQUIRED') return null;
  const action = `${props.transaction} ${JSON.stringify(props.args)}`;
  const propose = (): void => {
    const expiresAt = new Date(Date.now() + DAY_MS).toISOString();
    void write.run('/instructions', { transaction: props.transaction, args: props.args, expiresAt }, action);
  };
  return (
    <div>
      <button type="button" disabled={write.busy || write.outcome !== undefined} onClick={propose}>
        {t('team.propose')}
      </button>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </div>
  );
}
