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
  absorbedByReservesUsd: string;
  socializedToSuppliersUsd: string;
}

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
  market: string | null;
  borrower: string;
  hasDebt: boolean;
  healthFactorWad: string;
  marketHealthFactorWad: string | null;
  debtUsd: string;
  collateralUsd: string;
}

export interface LiquidationJson {
  id: number;
  block: number;
  protocol: string;
  market: string | null;
  liquidator: string;
  borrower: string;
  healthFactorWad: string;
  generation: number;
  causedBy: number | null;
  delayBlocks: number;
  debtRepaidUsd: string;
  profitUsd: string;
}

export interface BadDebtJson {
  block: number;
  protocol: string;
  borrower: string;
  amountUsd: string;
  coveredByReservesUsd: string;
  socializedToSuppliersUsd: string;
}

export interface Figures {
  summary: {
    liquidations: { count: number; debtRepaidUsd: string; liquidatorProfitUsd: string };
    badDebt: { recordedUsd: string; absorbedByReservesUsd: string; socializedToSuppliersUsd: string; latentMarketUsd: string };
    cascade: { depth: number };
  };
  liquidations: LiquidationJson[];
  badDebt: BadDebtJson[];
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
