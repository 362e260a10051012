import { promises as fs } from 'fs';
import path from 'path';
import type { SigningIdentity } from '../identity/signing-identity';
import type { LedgerAccess } from '../ledger/ledger-backend';

/**
 * Reminders (到期提醒): ahead of a receivable's due date (each configured lead, in days) and
 * once it is overdue, the gateway tells the debtor and the creditor, the parties the read
 * table gives a receivable to. Each party's receivables are read with its own identity
 * (Receivable:ListByDebtor / ListByCreditor), so a reminder goes only to whoever may read its
 * record, on either backend. Each is sent once per record, threshold and party: what was sent
 * is remembered (see SentReminders), so a restart does not send it again.
 */

export type ReminderType = 'ReceivableDueSoon' | 'ReceivableOverdue';

export interface Reminder {
  readonly type: ReminderType;
  /** The enterprise it is for. */
  readonly to: string;
  readonly receivableId: string;
  readonly dueDate: string;
  readonly outstandingAmount: string;
  /** For ReceivableDueSoon: the lead, in days before the due date, that was reached. */
  readonly daysBefore: number | null;
  readonly at: string;
}

/** A receivable as its listings answer it: the record with what is owed and whether it is overdue. */
interface ReceivableView {
  readonly id: string;
  readonly status: string;
  readonly dueDate: string;
  readonly outstandingAmount: string;
  readonly overdue: boolean;
}

/** Whom to remind: each enterprise the gateway acts for, with its roles and identity. */
export interface ReminderParty {
  readonly enterpriseId: string;
  readonly roles: readonly string[];
  readonly identity: SigningIdentity;
}

/** The listing that gives a party its receivables, by the role it has them in (access/policy.ts). */
const LISTINGS: Readonly<Record<string, string>> = {
  CORE: 'Receivable:ListByDebtor',
  SUPPLIER: 'Receivable:ListByCreditor',
};

const DAY_MS = 86_400_000;

/**
 * The reminders a receivable is due for now, by threshold. A due date is reached at the start
 * of its day (UTC, as the chaincode's NOT_DUE rule); when a sweep finds several leads passed
 * at once, the nearest is sent and the others are settled with it. Overdue is the
 * chaincode's own judgement (`overdue` on the view).
 */
export function remindersFor(view: ReceivableView, to: string, leadDays: readonly number[], now: number): Reminder[] {
  if (view.outstandingAmount === '0' || !['ACCEPTED', 'SETTLING'].includes(view.status)) return [];
  const base = { to, receivableId: view.id, dueDate: view.dueDate, outstandingAmount: view.outstandingAmount };
  const at = new Date(now).toISOString();
  if (view.overdue) return [{ ...base, type: 'ReceivableOverdue', daysBefore: null, at }];
  const untilDue = Date.parse(`${view.dueDate}T00:00:00Z`) - now;
  const reached = leadDays.filter((days) => untilDue > 0 && untilDue <= days * DAY_MS).sort((a, b) => a - b);
  return reached.map((days) => ({ ...base, type: 'ReceivableDueSoon', daysBefore: days, at }));
}

/** The key under which a sent reminder is remembered (and a webhook delivery of it told apart). */
export function reminderKey(reminder: Reminder): string {
  return `${reminder.to}/${reminder.receivableId}/${reminder.type}/${reminder.daysBefore ?? ''}`;
}

/**
 * What was sent, so that each reminder goes out once across restarts and across gateways:
 * `claim` remembers the keys and answers those no one had claimed before, and only those
 * are sent. One gateway keeps them in `<data>/reminders.json` (ReminderLog); gateways that
 * share a database there (store/shared-reminders.ts), where a key is claimed by one gateway only.
 */
export interface SentReminders {
  claim(keys: readonly string[]): Promise<ReadonlySet<string>>;
}

export class ReminderLog implements SentReminders {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly sent: Set<string>,
  ) {}

  static async open(dataDir: string): Promise<ReminderLog> {
    const file = path.join(dataDir, 'reminders.json');
    const sent = await fs.readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as string[],
      () => [],
    );
    return new ReminderLog(file, new Set(sent));
  }

  /** Every reminder's key remembered as sent. */
  keys(): string[] {
    return [...this.sent];
  }

  async claim(keys: readonly string[]): Promise<ReadonlySet<string>> {
    const fresh = new Set(keys.filter((key) => !this.sent.has(key)));
    if (fresh.size === 0) return fresh;
    fresh.forEach((key) => this.sent.add(key));
    const write = this.saving.then(() =>
      fs.writeFile(this.file, JSON.stringify([...this.sent].sort()), { mode: 0o600 }),
    );
    this.saving = write.catch(() => undefined);
    await write;
    return fresh;
  }
}

export interface ReminderOptions {
  /** Leads in days before the due date, e.g. [7, 1]. */
  readonly leadDays: readonly number[];
  readonly parties: () => Promise<readonly ReminderParty[]>;
  readonly clock?: () => number;
}

export class ReminderService {
  private readonly listeners = new Set<(reminder: Reminder) => void>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Reminder[]> | undefined;

  constructor(
    private readonly ledger: LedgerAccess,
    private readonly log: SentReminders,
    private readonly options: ReminderOptions,
  ) {}

  /** Hears every reminder sent from now on; returns the way to stop. */
  subscribe(listener: (reminder: Reminder) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sweeps every `intervalMs`; a sweep still running is not started again. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => {
      this.sweep().catch(onError);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads each party's receivables, sends the reminders now due that were not sent, remembers them. */
  sweep(): Promise<Reminder[]> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<Reminder[]> {
    const now = (this.options.clock ?? Date.now)();
    const sent: Reminder[] = [];
    for (const party of await this.options.parties()) {
      for (const view of await this.receivablesOf(party)) {
        const reached = remindersFor(view, party.enterpriseId, this.options.leadDays, now);
        if (reached.length === 0) continue;
        const claimed = await this.log.claim(reached.map(reminderKey));
        // Of several leads passed at once, the nearest is sent; the others are only remembered.
        const nearest = reached.find((reminder) => claimed.has(reminderKey(reminder)));
        if (!nearest) continue;
        sent.push(nearest);
        this.listeners.forEach((listener) => listener(nearest));
      }
    }
    return sent;
  }

  /** The receivables a party owes (core) or is owed (supplier), read with its own identity, page by page. */
  private async receivablesOf(party: ReminderParty): Promise<ReceivableView[]> {
    const views: ReceivableView[] = [];
    for (const transaction of party.roles.flatMap((role) => LISTINGS[role] ?? [])) {
      let bookmark = '';
      do {
        const page = (await this.ledger.evaluate({
          identity: party.identity,
          transaction,
          args: [party.enterpriseId, '200', bookmark],
        })) as { items: ReceivableView[]; bookmark: string };
        views.push(...page.items);
        bookmark = page.bookmark;
      } while (bookmark !== '');
    }
    return views;
  }
}
