/**
 * The page state as the server sends it (simulator/playground/view.ts): the engine's records as JSON,
 * bigints and USD figures as decimal strings.
 */
export interface ProtocolBlockStats {
  positions: number;
  liquidatable: number;
  underwaterAtMarket: number;
  liquidations: number;
  recordedBadDebtUsd: string;
  /** Per loss absorber (simulator/state/loss.ts), cumulative. */
  absorbedUsd: Record<LossAbsorber, string>;
  unabsorbedUsd: string;
}

/** simulator/state/loss.ts `LOSS_ABSORBERS`. */
export type LossAbsorber = "reserves" | "insuranceFund" | "suppliers" | "deficit" | "autoDeleveraged" | "socialized" | "owedByTrader";

export interface BlockRecord {
  block: number;
  marketPriceE8: Record<string, string>;
  oraclePriceE8: Record<string, string | null>;
  ammPriceE8: Record<string, string>;
  baseFeeWei: string;
  protocols: Record<string, ProtocolBlockStats>;
}

export interface PositionHealth {
  protocol: string;
  /** "pool", or the isolated market / instrument. */
  scope: string;
  account: string;
  hasLiability: boolean;
  healthWad: string;
  marketHealthWad: string | null;
  liabilityUsd: string;
  collateralUsd: string;
}

/** result.json schema 2 (docs/result-format.md): the fields the page reads. */
export interface LiquidationJson {
  id: number;
  block: number;
  protocol: string;
  /** "pool", or the isolated market / instrument. */
  scope: string;
  liquidator: string;
  account: string;
  healthBeforeWad: string;
  generation: number;
  causedBy: number | null;
  delayBlocks: number;
  repaidUsd: string;
  profitUsd: string;
}

export interface LossJson {
  block: number;
  protocol: string;
  account: string;
  amountUsd: string;
  absorbedBy: Record<LossAbsorber, { amount: string; usd: string }>;
  unabsorbed: { amount: string; usd: string };
}

export interface Figures {
  summary: {
    liquidations: { count: number; debtRepaidUsd: string; liquidatorProfitUsd: string };
    badDebt: { recordedUsd: string; absorbedUsd: Record<LossAbsorber, string>; unabsorbedUsd: string; latentMarketUsd: string };
    cascade: { depth: number };
  };
  liquidations: LiquidationJson[];
  losses: LossJson[];
}

export interface ControlState {
  keepersOn: boolean;
  keeperDelayBlocks: number | null;
  gasSpikeGwei: number | null;
  feeds: Record<string, string>;
}

export interface PageState {
  lessons: string[];
  lesson: string | null;
  description: string;
  block: number;
  assets: string[];
  amms: { name: string; tokenA: string }[];
  liquidators: string[];
  controls: ControlState | null;
  blocks: BlockRecord[];
  positions: PositionHealth[];
  figures: Figures | null;
  narration: string[];
}
