/**
 * The holders of one protocol's (or market's) positions and which of them a block's read needs: the
 * position index is kept from events (shares and collateral change only through the protocols' entry
 * points, each of which emits an event naming the account), so once every holder was read only those
 * the block's events name are read again.
 */
import type { Address } from "viem";

export class Holders {
  private listed: { all: Address[]; byLowercase: Map<string, Address> } | null = null;
  private allRead = false;

  /** `list`: every holder, asked once, at the first read. */
  constructor(private readonly list: () => Address[]) {}

  /**
   * The holders to read: all of them on a full read (`touched` undefined) or while some were never
   * read (not in `index`), else those named by the block's events (`touched`, lowercase).
   */
  toRead(index: ReadonlyMap<Address, unknown>, touched: ReadonlySet<string> | undefined): Address[] {
    if (!this.listed) {
      const all = this.list();
      this.listed = { all, byLowercase: new Map(all.map((a) => [a.toLowerCase(), a])) };
    }
    const { all, byLowercase } = this.listed;
    // The index only grows: once every holder was read, only the touched ones need reading again.
    this.allRead ||= all.every((a) => index.has(a));
    if (!touched || !this.allRead) return all.filter((u) => !touched || touched.has(u.toLowerCase()) || !index.has(u));
    const out: Address[] = [];
    for (const lower of touched) {
      const holder = byLowercase.get(lower);
      if (holder !== undefined) out.push(holder);
    }
    return out;
  }
}
