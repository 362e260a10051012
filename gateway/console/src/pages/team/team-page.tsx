import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../../api/client';
import { useLoad, useWrite } from '../../api/hooks';
import { ErrorNote } from '../../components/bits';
import { enterpriseIdOf, useSession } from '../../session/session';
import { ApprovalQueue } from './approval-queue';

interface User {
  readonly userId?: string;
  readonly clientId: string;
  readonly mspId: string;
  readonly role: string;
  readonly boundAt: string;
}

const ROLES = ['MAKER', 'CHECKER', 'VIEWER', 'ADMIN'] as const;

/** A key shown once, as the gateway returns it once: the person copies it now or never. */
function NewKey({ apiKey }: { apiKey: string | undefined }): ReactNode {
  const { t } = useTranslation();
  if (!apiKey) return null;
  return (
    <p role="status" className="card" data-testid="new-key">
      {t('team.keyOnce')} <code>{apiKey}</code>
    </p>
  );
}

function AddUser(): ReactNode {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('MAKER');
  const write = useWrite<{ apiKey: string }>('flow');
  const valid = /^[a-z0-9][a-z0-9-]{0,30}$/.test(login);
  return (
    <section className="card" aria-labelledby="add-user-title">
      <h2 id="add-user-title">{t('team.addUser')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void write.run('/me/users', { login, role });
        }}
      >
        <label htmlFor="user-login">{t('team.login')}</label>
        <input
          id="user-login"
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          aria-invalid={login !== '' && !valid}
        />
        <label htmlFor="user-role">{t('team.role')}</label>
        <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`team.roles.${r}`)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!valid || write.busy}>
          {t('team.add')}
        </button>
      </form>
      <ErrorNote error={write.error} />
      <NewKey apiKey={write.outcome?.status === 'answered' ? write.outcome.result.apiKey : undefined} />
    </section>
  );
}

function MyKeys(): ReactNode {
  const { t } = useTranslation();
  const keys = useLoad((api) => api.get<{ items: { keyId: string }[] }>('/me/api-keys'), []);
  const issue = useWrite<{ apiKey: string }>('flow');
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('team.myKeys')}</h2>
      <ErrorNote error={keys.error} />
      <ul data-testid="my-keys">
        {(keys.data?.items ?? []).map((k) => (
          <li key={k.keyId}>
            <code>{k.keyId}</code>
          </li>
        ))}
      </ul>
      <button type="button" disabled={issue.busy} onClick={() => void issue.run('/me/api-keys', {})}>
        {t('team.issueKey')}
      </button>
      <ErrorNote error={issue.error} />
      <NewKey apiKey={issue.outcome?.status === 'answered' ? issue.outcome.result.apiKey : undefined} />
    </section>
  );
}

/** An enterprise's people: its users and roles, the caller's own keys, and the instructions waiting for a checker. */
export function TeamPage(): ReactNode {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = enterpriseIdOf(me) ?? '';
  const users = useLoad((api) => api.get<User[]>(`/enterprises/${seg(id)}/users`), [id]);
  return (
    <article>
      <h1>{t('team.title')}</h1>
      <ApprovalQueue enterpriseId={id} />
      <section aria-labelledby="users-title">
        <h2 id="users-title">{t('team.users')}</h2>
        <ErrorNote error={users.error} />
        <table data-testid="users">
          <thead>
            <tr>
              <th scope="col">{t('team.user')}</th>
              <th scope="col">{t('team.role')}</th>
              <th scope="col">{t('team.since')}</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.mspId + u.clientId}>
                <td>
                  <code>{u.userId ?? u.clientId.slice(0, 48)}</code>
                </td>
                <td>{t(`team.roles.${u.role as (typeof ROLES)[number]}`)}</td>
                <td>{new Date(u.boundAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <AddUser />
      <MyKeys />
    </article>
  );
}
