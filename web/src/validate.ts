/** The page's checks before a request (the server checks again and answers 400 with the same kind of reason). */

/** A refused input: `field: reason`. */
export class InputError extends Error {}

export function priceUsd(field: string, text: string): string {
  const value = text.trim();
  if (!/^\d+(\.\d{1,8})?$/.test(value)) throw new InputError(`${field}: must be a decimal USD price with at most 8 places, like 1100 or 1234.5`);
  if (!/[1-9]/.test(value)) throw new InputError(`${field}: must be > 0`);
  return value;
}

export function wholeNumber(field: string, text: string, max: number): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) > max) throw new InputError(`${field}: must be a whole number from 0 to ${max}`);
  return Number(value);
}

export function nonNegative(field: string, text: string, max: number): number {
  const value = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > max) throw new InputError(`${field}: must be a number from 0 to ${max}`);
  return value;
}
