import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Page, Role } from '../../api/types';
import { EmptyNote, ErrorNote, Outcome, Status } from '../../components/bits';
import { DID_PATTERN, REGISTRATION_NUMBER_PATTERN } from '../../rules';

interface Proposal {
  readonly id: string;
  readonly kind: string;
  readonly change: unknown;
  readonly status: string;
  readonly approvals: readonly { readonly mspId: string }[];
  readonly expiresAt: string;
}

const ROLES: readonly Role[] = ['SUPPLIER', 'CORE', 'BANK', 'AUDITOR', 'REGULATOR'];

const approvers = (proposal: Proposal): string => proposal.approvals.map((a) => a.mspId).join(', ');

function ProposalRow({ proposal }: { proposal: Proposal }): ReactNode {
  const { t } = useTranslation();
  const write = useWrite<unknown>();
  return (
    <li>
      <strong>{proposal.kind}</strong> <code>{JSON.stringify(proposal.change)}</code> ·{' '}
      <Status status={proposal.status} /> · {t('admin.approvedBy')} {approvers(proposal)}{' '}
      {proposal.status === 'OPEN' ? (
        <button
          type="button"
          disabled={write.busy}
          onClick={() => void write.run(`/governance/proposals/${seg(proposal.id)}/approve`, {})}
        >
          {t('team.approve')}
        </button>
      ) : null}
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
    </li>
  );
}

/** A bank organisation's admin onboards a customer: its CA enrolls it, the ledger registers it, its key shows once. */
function Onboard(): ReactNode {
  const { t } = useTranslation();
  const [form, setForm] = useState({ id: '', name: '', registrationNumber: '', role: 'SUPPLIER' as Role });
  const write = useWrite<{ apiKey?: string }>('flow');
  const valid =
    DID_PATTERN.test(form.id) && form.name.trim() !== '' && REGISTRATION_NUMBER_PATTERN.test(form.registrationNumber);
  const body = { id: form.id, name: form.name.trim(), roles: [form.role], registrationNumber: form.registrationNumber };
  return (
    <section className="card" aria-labelledby="onboard-title">
      <h2 id="onboard-title">{t('admin.onboard')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void write.run('/enterprises', body);
        }}
      >
        <label htmlFor="onboard-id">{t('admin.did')}</label>
        <input id="onboard-id" value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value.trim() })} />
        <label htmlFor="onboard-name">{t('admin.name')}</label>
        <input id="onboard-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <label htmlFor="onboard-reg">{t('issue.sellerRegistrationNumber')}</label>
        <input
          id="onboard-reg"
          value={form.registrationNumber}
          onChange={(e) => setForm({ ...form, registrationNumber: e.target.value })}
        />
        <label htmlFor="onboard-role">{t('team.role')}</label>
        <select
          id="onboard-role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!valid || write.busy}>
          {t('admin.onboardSubmit')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      {write.outcome?.status === 'answered' && write.outcome.result.apiKey ? (
        <p role="status" data-testid="onboarded-key">
          {t('team.keyOnce')} <code>{write.outcome.result.apiKey}</code>
        </p>
      ) : null}
    </section>
  );
}

/** A bank organisation's admin: the consortium's governance proposals to approve, and onboarding customers. */
export function AdminPage(): ReactNode {
  const { t } = useTranslation();
  const proposals = useLoad((api) => api.get<Page<Proposal>>('/governance/proposals?pageSize=50'), []);
  return (
    <article>
      <h1>{t('admin.title')}</h1>
      <section aria-labelledby="proposals-title">
        <h2 id="proposals-title">{t('admin.proposals')}</h2>
        <ErrorNote error={proposals.error} />
        <ul data-testid="proposals">
          {(proposals.data?.items ?? []).map((p) => (
            <ProposalRow key={p.id} proposal={p} />
          ))}
        </ul>
        <EmptyNote items={proposals.data?.items} />
      </section>
      <Onboard />
    </article>
  );
}
