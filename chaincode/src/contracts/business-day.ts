import { businessDate } from '../domain/business-time';
import type { PricingDay } from '../domain/financing-rules';
import { dayCountOf } from '../domain/pricing';
import type { TxScope } from './scf-context';

/** The transaction's date in the consortium's business time zone: what due dates and tenors compare with. */
export async function businessToday(tx: TxScope): Promise<string> {
  return businessDate(tx.now, (await tx.consortium.get()).businessTimeZone);
}

/** How a financing kept by this bank organisation is priced if funded now: today's value date, its day count. */
export async function pricingDay(tx: TxScope, termsOrg: string): Promise<PricingDay> {
  const config = await tx.consortium.get();
  return { valueDate: businessDate(tx.now, config.businessTimeZone), dayCount: dayCountOf(config, termsOrg) };
}
