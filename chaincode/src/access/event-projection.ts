import type { Payout, Settlement } from '../domain/model';
import { type EventPayload, PARTIES_OF } from '../ledger/change-set';
import { mayRead, type Reader, RECORD_READERS } from './read-policy';

/** The record lists of an event every member may read: the registry. */
const REGISTRY_LISTS = ['enterprises', 'identities', 'credentials', 'recoveries'] as const;

type RestrictedLists = Pick<
  EventPayload,
  | 'receivables'
  | 'certificates'
  | 'creditLines'
  | 'financings'
  | 'quoteRequests'
  | 'settlements'
  | 'payouts'
  | 'attestations'
  | 'instructions'
>;

/**
 * What one reader receives of an event: the records of the payload it may read under the
 * read table, or nothing. Oversight gets the whole payload; a consortium bank admin its
 * registry records and governance proposals (what it administers); an enterprise the restricted
 * records whose rule names it, with the registry records when it receives the event at all,
 * which is when some restricted record remains or a registry record concerns it. `parties`
 * would tell who else is concerned, so a projection keeps only the reader itself.
 */
export function eventProjection(payload: EventPayload, reader: Reader): EventPayload | undefined {
  if (reader.kind === 'oversight') return payload;
  const registryParties = REGISTRY_LISTS.flatMap((kind) =>
    (payload[kind] as unknown[]).flatMap((record) => (PARTIES_OF[kind] as (r: unknown) => string[])(record)),
  );
  if (reader.kind === 'admin') {
    const registry =
      payload.consortium !== undefined ||
      payload.proposals.length > 0 ||
      REGISTRY_LISTS.some((kind) => payload[kind].length > 0);
    return registry
      ? { ...payload, ...restricted(payload, () => false), parties: [...new Set(registryParties)].sort() }
      : undefined;
  }
  const lists = restricted(payload, (readers) => mayRead(reader, readers));
  const concerned = Object.values(lists).some((list) => list.length > 0) || registryParties.includes(reader.id);
  // Governance proposals are for bank admins and oversight (the read table's Governance rows).
  return concerned ? { ...payload, ...lists, proposals: [], parties: [reader.id] } : undefined;
}

/** The event's restricted records that `readable` lets through, each by its own rule. */
function restricted(payload: EventPayload, readable: (readers: readonly string[]) => boolean): RestrictedLists {
  const settlementOf = new Map(payload.settlements.map((s) => [s.id, s]));
  const payouts = payload.payouts.filter((p) => readable(payoutReaders(p, settlementOf.get(p.settlementId))));
  const receivables = payload.receivables.filter((r) => readable(RECORD_READERS.receivable(r)));
  const financings = payload.financings.filter((f) => readable(RECORD_READERS.financing(f)));
  return {
    receivables,
    certificates: payload.certificates.filter((c) => readable(RECORD_READERS.certificate(c))),
    creditLines: payload.creditLines.filter((l) => readable(RECORD_READERS.creditLine(l))),
    financings,
    quoteRequests: payload.quoteRequests.filter((q) => readable(RECORD_READERS.quoteRequest(q))),
    settlements: payload.settlements.filter((s) =>
      readable(
        RECORD_READERS.settlement(
          s,
          payload.payouts.filter((p) => p.settlementId === s.id),
        ),
      ),
    ),
    payouts,
    instructions: payload.instructions.filter((i) => readable(RECORD_READERS.instruction(i))),
    // An attestation is read under the rule of the record it attests, carried by the same event.
    attestations: payload.attestations.filter((a) =>
      (a.subjectKind === 'receivable' ? receivables : financings).some((record) => record.id === a.subjectId),
    ),
  };
}

/** A payout whose settlement the event does not carry is its payee's alone (and oversight's). */
function payoutReaders(payout: Payout, settlement: Settlement | undefined): string[] {
  return settlement ? RECORD_READERS.payout(payout, settlement.debtorId) : [payout.payeeId];
}
