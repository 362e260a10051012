import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import type { Me } from '../api/types';
import { useLive } from '../live/live';
import { rolesOf, useSessionState } from '../session/session';
import { LanguageSwitch } from './language-switch';

interface NavItem {
  readonly to: string;
  readonly label:
    | 'nav.supplier'
    | 'nav.core'
    | 'nav.issue'
    | 'nav.bank'
    | 'nav.audit'
    | 'nav.reports'
    | 'nav.team'
    | 'nav.statement'
    | 'nav.admin';
}

function navFor(me: Me): NavItem[] {
  if (me.kind === 'admin')
    return [
      { to: '/admin', label: 'nav.admin' },
      { to: '/audit', label: 'nav.audit' },
    ];
  const roles = rolesOf(me);
  const items: NavItem[] = [];
  if (roles.includes('SUPPLIER')) items.push({ to: '/supplier', label: 'nav.supplier' });
  if (roles.includes('CORE')) items.push({ to: '/core', label: 'nav.core' }, { to: '/core/issue', label: 'nav.issue' });
  if (roles.includes('BANK')) items.push({ to: '/bank', label: 'nav.bank' });
  items.push({ to: '/audit', label: 'nav.audit' });
  // Every enterprise reads the query store's reports over the rows the read table gives it.
  items.push({ to: '/audit/reports', label: 'nav.reports' });
  if (roles.includes('SUPPLIER') || roles.includes('CORE')) items.push({ to: '/statement', label: 'nav.statement' });
  items.push({ to: '/team', label: 'nav.team' });
  return items;
}

/** Header, navigation for the caller's roles, language switch and sign-out around every page. */
export function AppShell({ children }: { children: ReactNode }): ReactNode {
  const { t } = useTranslation();
  const { session, signOut } = useSessionState();
  const [location] = useLocation();
  const live = useLive();
  if (!session) return null;
  const { me } = session;
  const who = me.kind === 'admin' ? `${t('shell.admin')} ${me.mspId}` : `${me.name} (${me.id})`;
  return (
    <div className="shell">
      <header className="shell-header">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('shell.navigation')}>
          <ul>
            {navFor(me).map((item) => (
              <li key={item.to}>
                <Link href={item.to} aria-current={location === item.to ? 'page' : undefined}>
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who" data-testid="who">
          {who}
        </span>
        <span className={live.connected ? 'live on' : 'live'} title={live.last?.type ?? ''} data-testid="live">
          {t('shell.live')}
        </span>
        <LanguageSwitch />
        <button type="button" onClick={signOut}>
          {t('shell.signOut')}
        </button>
      </header>
      <main className="shell-main">
        {session.selfHeld ? (
          <p className="hint" data-testid="self-held">
            {t('selfHeld.note')}
          </p>
        ) : null}
        {children}
      </main>
    </div>
  );
}
