import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireSelfOrOversight } from '../access/relationships';
import { ScfError } from '../domain/errors';
import { EnterpriseId, parseArg } from '../domain/inputs';
import { holdingsOfPiece } from '../domain/statement-rules';
import { parseInstant } from '../domain/time';
import { encodeBookmark, parsePage } from './paging';
import { reply, ScfContract } from './scf-contract';
import { ScfContext } from './scf-context';

/**
 * Statements (对账单): an enterprise's holdings over a period, from the history of every piece
 * it ever held. Read-only, paged by piece: one call reads at most `pageSize` pieces and each
 * piece's history, which grows only with that piece's own transactions.
 */
@Info({ title: 'Statement', description: "An enterprise's holdings over a period, line by line, for reconciliation" })
export class StatementContract extends ScfContract {
  constructor() {
    super('Statement');
  }

  /**
   * For one page of the pieces the enterprise ever held: what it held of them before `from`
   * (opening) and before `to` (closing), and each change in [from, to). The pages' openings,
   * closings and lines add up to the whole statement (the gateway sums them).
   */
  @Transaction(false)
  @Returns('string')
  async Holdings(
    ctx: ScfContext,
    enterpriseId: string,
    from: string,
    to: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const id = parseArg('enterpriseId', EnterpriseId, enterpriseId);
    requireSelfOrOversight(tx.signedBy, id);
    const [start, end] = [parseInstant('from', from), parseInstant('to', to)];
    if (start >= end) throw new ScfError('INVALID_ARGUMENT', 'from must be before to');
    const page = parsePage(pageSize, bookmark);
    const { ids, bookmark: next } = await tx.certificates.pageIds('pastHolder', id, page.size, page.bookmark);
    let opening = 0n;
    let closing = 0n;
    const lines = [];
    for (const certificateId of ids) {
      const piece = holdingsOfPiece(id, await tx.certificates.history(certificateId), start, end);
      opening += piece.opening;
      closing += piece.closing;
      lines.push(...piece.lines);
    }
    return reply({
      enterpriseId: id,
      from: start,
      to: end,
      opening: opening.toString(),
      closing: closing.toString(),
      lines,
      bookmark: encodeBookmark(next),
    });
  }
}
