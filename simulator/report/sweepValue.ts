/** A value a sweep writes into the scenario file: the type of the field it replaces. */
export type SweepValue = number | string | boolean;

/** A value as the sweep's messages, table and sweep.csv write it: a number in JSON's form, a string as is. */
export function valueText(value: SweepValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
