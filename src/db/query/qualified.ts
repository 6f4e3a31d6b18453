/**
 * Column names prefixed with a table's alias, for a select from several tables
 * (`select(qualified("p", PAYMENT_SHOWN))`: each row still has `amount`, not `p.amount`).
 */
export function qualified<Alias extends string, Column extends string>(alias: Alias, columns: readonly Column[]): `${Alias}.${Column}`[] {
  return columns.map((column) => `${alias}.${column}` as const);
}
