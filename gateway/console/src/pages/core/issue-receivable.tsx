import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import type { Page, Receivable } from '../../api/types';
import { ErrorNote, Outcome } from '../../components/bits';
import { digestOfFile } from '../../documents';
import { enterpriseIdOf, useSession } from '../../session/session';
import {
  EMPTY_ISSUE,
  ISSUE_CHECKS,
  type IssueField,
  type IssueForm,
  invalidIssueFields,
  issueBody,
} from './issue-model';

interface CreditLine {
  readonly id: string;
  readonly bankId: string;
  readonly currency: string;
}

const firstLine = (page: Page<CreditLine> | undefined): string => page?.items[0]?.id ?? '';

function TextField(props: { name: IssueField; form: IssueForm; type: string; set(form: IssueForm): void }): ReactNode {
  const { t } = useTranslation();
  const { name, form } = props;
  return (
    <div className="row">
      <label htmlFor={`issue-${name}`}>{t(`issue.${name}`)}</label>
      <input
        id={`issue-${name}`}
        type={props.type}
        value={form[name]}
        onChange={(e) => props.set({ ...form, [name]: e.target.value })}
        aria-invalid={form[name] !== '' && !ISSUE_CHECKS[name](form[name])}
      />
    </div>
  );
}

function FileField({ id, label, set }: { id: string; label: string; set(file: File | undefined): void }): ReactNode {
  return (
    <div className="row">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" onChange={(e) => set(e.target.files?.[0])} />
    </div>
  );
}

function InvalidFields({ fields }: { fields: readonly IssueField[] }): ReactNode {
  const { t } = useTranslation();
  if (fields.length === 0) return null;
  return (
    <p className="hint" data-testid="issue-invalid">
      {t('issue.check')}: {fields.map((f) => t(`issue.${f}`)).join(', ')}
    </p>
  );
}

function IssuedLink({ id }: { id: string }): ReactNode {
  return (
    <p data-testid="issued">
      <Link href={`/audit/receivables/${id}`}>
        <code>{id}</code>
      </Link>
    </p>
  );
}

/** A core enterprise issues a receivable: its invoice goes as transient data, its documents as digests. */
export function IssueReceivable(): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = enterpriseIdOf(me) ?? '';
  const lines = useLoad((api) => api.get<Page<CreditLine>>(`/enterprises/${seg(id)}/credit-lines`), [id]);
  const [draft, setDraft] = useState<IssueForm>(EMPTY_ISSUE);
  const [invoice, setInvoice] = useState<File | undefined>();
  const [contract, setContract] = useState<File | undefined>();
  const write = useWrite<Receivable>();
  const form = { ...draft, creditLineId: draft.creditLineId || firstLine(lines.data) };
  const invalid = invalidIssueFields(form);
  const ready = invalid.length === 0 && invoice !== undefined && contract !== undefined;
  const submit = async (): Promise<void> => {
    const [invoiceHash, contractHash] = await Promise.all([digestOfFile(invoice), digestOfFile(contract)]);
    if (invoiceHash && contractHash) await write.run('/receivables', issueBody(form, invoiceHash, contractHash));
  };
  const text = (name: IssueField, type = 'text'): ReactNode => (
    <TextField name={name} form={form} set={setDraft} type={type} />
  );
  return (
    <article>
      <h1>{t('issue.title')}</h1>
      <ErrorNote error={lines.error} />
      <form className="card" onSubmit={(e) => (e.preventDefault(), ready && void submit())}>
        {text('creditorId')}
        {text('amount')}
        {text('currency')}
        {text('dueDate', 'date')}
        <div className="row">
          <label htmlFor="issue-creditLineId">{t('issue.creditLineId')}</label>
          <select
            id="issue-creditLineId"
            value={form.creditLineId}
            onChange={(e) => setDraft({ ...form, creditLineId: e.target.value })}
          >
            {(lines.data?.items ?? []).map((line) => (
              <option key={line.id} value={line.id}>{`${line.id} · ${line.bankId} · ${line.currency}`}</option>
            ))}
          </select>
        </div>
        {text('invoiceCode')}
        {text('invoiceNumber')}
        {text('sellerRegistrationNumber')}
        {text('buyerRegistrationNumber')}
        <FileField id="issue-invoice-file" label={t('issue.invoiceFile')} set={setInvoice} />
        <FileField id="issue-contract-file" label={t('issue.contractFile')} set={setContract} />
        <InvalidFields fields={invalid} />
        <button type="submit" disabled={!ready || write.busy}>
          {t('issue.submit')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      <Outcome outcome={write.outcome} />
      {write.outcome?.status === 'committed' ? <IssuedLink id={write.outcome.result.id} /> : null}
    </article>
  );
}
