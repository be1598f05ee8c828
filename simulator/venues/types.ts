/**
 * The interface a venue kind implements: one folder `simulator/venues/<kind>/`, one registry line
 * (`registry.ts`). docs/venues.md describes the whole interface, what already goes through it and how
 * to add a venue. Outside `venues/` nothing branches on a venue kind: it asks `venueOf(kind)`.
 *
 * The methods take the neutral unions (`WorldProtocol`, `ProtocolView`) and each venue narrows them to
 * its own kind; a venue handed another kind's object has nothing to do (`undefined` / no check).
 */
import type { Address } from "viem";
import type { ProtocolSpec } from "../scenario/types";
import type { MarketView, ObservedState, ProtocolView } from "../state";
import type { World, WorldProtocol } from "../world";

/** The scenario's protocol `type`: the discriminant of the schema, the only other place that names kinds. */
export type VenueKind = ProtocolSpec["type"];

/** Stops `--check` at the first invariant that does not hold (the engine throws `InvariantViolation`). */
export type Fail = (invariant: string, values: Record<string, bigint | string | number | boolean>) => never;

/** What a venue's `--check` reads besides the chain. */
export interface InvariantContext {
  world: World;
  /** The observer's state at the end of the block checked. */
  state: ObservedState;
  /** Σ of the venue's bad-debt events so far, per `${protocol}/${asset symbol or market key}`. */
  badDebtEvents: ReadonlyMap<string, bigint>;
  fail: Fail;
}

/** The facts of one liquidation a venue's `--check` judges (a `LiquidationRecord` has them). */
export interface LiquidationFacts {
  protocol: string;
  /** The market key (`collateral/loan`) where a venue has markets; null otherwise. */
  market: string | null;
  borrower: Address;
  collateral: string;
  debt: string;
  collateralSeized: bigint;
  debtRepaid: bigint;
  /** Health factor before the liquidation, WAD. */
  healthFactorWad: bigint;
}

/** A protocol's entry in `npm run deploy`'s addresses.json (docs: README, deploy). */
export type DeployedAddresses = { type: VenueKind } & Record<string, string | string[] | { id: string; market: string }[]>;

export interface Venue {
  readonly kind: VenueKind;
  /** The protocol's contracts and layout for addresses.json. */
  addresses(protocol: WorldProtocol): DeployedAddresses | undefined;
  /**
   * `view` with the push-feed prices pending in the block's mempool (`pending`, per feed) applied to
   * what reads those feeds, and positions revalued at them: what a bot that backruns oracle updates sees.
   */
  withPendingPrices(view: ProtocolView, pending: ReadonlyMap<string, bigint>, market: MarketView): ProtocolView;
  /** `--check` of the protocol's state after a block: totals against holders, solvency, the model against the chain. */
  checkState(context: InvariantContext, name: string, protocol: WorldProtocol, view: ProtocolView): Promise<void>;
  /** `--check` of one liquidation of the block: below health factor 1, seized within the venue's bonus. */
  checkLiquidation(context: InvariantContext, protocol: WorldProtocol, liquidation: LiquidationFacts): void;
}
