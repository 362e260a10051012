import type { ReactNode } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { AppShell } from './components/app-shell';
import { LiveProvider } from './live/live';
import { CertificateView } from './pages/audit/certificate-view';
import { HistoryView } from './pages/audit/history-view';
import { ReceivableView } from './pages/audit/receivable-view';
import { SearchPage } from './pages/audit/search-page';
import { ReportsPage } from './pages/audit/reports-page';
import { TransactionView } from './pages/audit/transaction-view';
import { AdminPage } from './pages/bank/admin-page';
import { ApplicationView } from './pages/bank/application-view';
import { BankHome } from './pages/bank/bank-home';
import { CoreHome } from './pages/core/core-home';
import { IssueReceivable } from './pages/core/issue-receivable';
import { SignIn } from './pages/sign-in';
import { CertificateActions } from './pages/supplier/certificate-actions';
import { SupplierHome } from './pages/supplier/supplier-home';
import { StatementPage } from './pages/team/statement-page';
import { TeamPage } from './pages/team/team-page';
import { homeOf, SessionProvider, useSessionState } from './session/session';

/** The signed-in console: one route per page, each page under its role's folder. */
function SignedIn(): ReactNode {
  const { session } = useSessionState();
  if (!session) return <SignIn />;
  return (
    <LiveProvider api={session.api}>
      <AppShell>
        <Switch>
          <Route path="/supplier" component={SupplierHome} />
          <Route path="/certificates/:id" component={CertificateActions} />
          <Route path="/core" component={CoreHome} />
          <Route path="/core/issue" component={IssueReceivable} />
          <Route path="/bank" component={BankHome} />
          <Route path="/financings/:id" component={ApplicationView} />
          <Route path="/audit" component={SearchPage} />
          <Route path="/audit/receivables/:id" component={ReceivableView} />
          <Route path="/audit/certificates/:id" component={CertificateView} />
          <Route path="/audit/transactions/:txId" component={TransactionView} />
          <Route path="/audit/history/:kind/:id" component={HistoryView} />
          <Route path="/audit/reports" component={ReportsPage} />
          <Route path="/admin" component={AdminPage} />
          <Route path="/team" component={TeamPage} />
          <Route path="/statement" component={StatementPage} />
          <Route>
            <Redirect to={homeOf(session.me)} replace />
          </Route>
        </Switch>
      </AppShell>
    </LiveProvider>
  );
}

export function App(): ReactNode {
  return (
    <SessionProvider>
      <Router base="/console">
        <SignedIn />
      </Router>
    </SessionProvider>
  );
}
