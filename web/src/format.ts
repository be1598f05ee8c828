/** Display-only conversions of the server's decimal strings (the exact strings stay in data-value). */

/** "$1,234.50" from a decimal USD string. */
export function usd(value: string): string {
  const n = Number(value);
  const sign = n < 0 ? "-" : "";
  return `${sign}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A USD price from an 8-decimal integer string, as a number for charts. */
export function e8(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value) / 1e8;
}

/** A WAD integer string as a number (health factors). */
export function wad(value: string | null): number | null {
  return value === null ? null : Number(BigInt(value) / 10n ** 12n) / 1e6;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A health factor's colour: red below 1, orange below 1.05, amber below 1.25, green above. */
export function healthColour(hf: number | null): string {
  if (hf === null) return "#9ca3af";
  if (hf < 1) return "#dc2626";
  if (hf < 1.05) return "#ea580c";
  if (hf < 1.25) return "#d97706";
  return "#16a34a";
}
