import { Instruction } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { IdPage, LedgerStore } from '../ledger-store';

/** Four-eyes instructions: each its own key, so deciding one never contends with another. */
export class InstructionRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Instruction> {
    return this.store.get(KEY_TYPES.instruction, [id], Instruction, 'instruction');
  }

  async create(instruction: Instruction): Promise<void> {
    await this.store.putIndex(KEY_TYPES.pendingInstruction, [instruction.enterpriseId, instruction.id]);
    await this.save(instruction);
  }

  /** A decided instruction leaves the pending index. */
  async save(instruction: Instruction): Promise<void> {
    await this.store.put(KEY_TYPES.instruction, [instruction.id], instruction);
    if (instruction.status !== 'PENDING') {
      await this.store.delete(KEY_TYPES.pendingInstruction, [instruction.enterpriseId, instruction.id]);
    }
    this.changes.add('instructions', instruction.id, instruction);
  }

  /** The enterprise's undecided instructions (expired ones included until decided or listed as such). */
  pending(enterpriseId: string, pageSize: number, bookmark: string): Promise<IdPage> {
    return this.store.pageIndex(KEY_TYPES.pendingInstruction, [enterpriseId], pageSize, bookmark);
  }
}
