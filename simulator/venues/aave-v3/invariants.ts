/**
 * `--check` of an Aave V3.6 protocol after a block. Per reserve: Σ holders' scaled aToken and debt
 * balances == the tokens' scaled totals (holders: borrowers, loopers' vaults, the deployer, which is the
 * passive supplier and the treasury); the underlying the aToken holds >= the pool's virtual balance; the
 * outstanding deficit == Σ DeficitCreated events seen (nothing covers it in a run). Per position: the
 * model's six account values == `getUserAccountData`; no debt without collateral (Aave burns it into the
 * deficit). Per liquidation on push feeds: seized × collateralPrice × debtUnit <= repaid × bonus ×
 * debtPrice × collateralUnit, within Aave's rounding: a wei of collateral (the bonus rounds half up) and
 * a wei of debt (a seizure capped at the balance is valued in the debt's units, rounded down, before the
 * repayment is worked out from it). (Aave's event has no
 * health factor; the observer's is the end of the previous block's, before the block's oracle updates,
 * so "below HF 1" is the pool's own check, which reverts otherwise.)
 */
import type { Address } from "viem";
import { AaveV3Math, WAD } from "../../math";
import type { AaveProtocolView, ProtocolView } from "../../state";
import { positionHolders, type ProjectResult, type WorldAaveProtocol, type WorldProtocol } from "../../world";
import type { InvariantContext, LiquidationFacts } from "../types";
import { aavePosition } from "./reader";

/** AaveV3Lens's snapshot of one reserve, one holder's balances, one account (`getUserAccountData`'s six values and whether the pool could price them). */
type ReserveSnapshot = ProjectResult<"AaveV3Lens", "getReserves">[number];
type UserSnapshot = ProjectResult<"AaveV3Lens", "getUsers">[number];
type AccountSnapshot = ProjectResult<"AaveV3Lens", "getAccountsData">[number];

const ACCOUNT_FIELDS = ["totalCollateralBase", "totalDebtBase", "availableBorrowsBase", "currentLiquidationThreshold", "ltv", "healthFactor"] as const;

export async function checkAaveState(context: InvariantContext, name: string, protocol: WorldProtocol, view: ProtocolView): Promise<void> {
  if (protocol.kind !== "aave-v3.6" || view.kind !== "aave-v3.6") return;
  const { chain, deployer } = context.world;
  const who = [...new Set([...positionHolders(context.world, name), deployer, protocol.treasury])];
  const reserves = await protocol.lens.read(chain, "getReserves", [protocol.pool.address, protocol.oracle.address]);
  const users = await protocol.lens.read(chain, "getUsers", [protocol.pool.address, who]);
  const accounts = await protocol.lens.read(chain, "getAccountsData", [protocol.pool.address, who]);
  reserves.forEach((s, i) => checkReserve(context, name, protocol, s, i, users));
  who.forEach((address, u) => {
    const onChain = accounts[u];
    const row = users[u];
    if (onChain && row) checkAccount(context, name, view, address, onChain, aavePosition(row));
  });
}

function checkReserve(
  { badDebtEvents, fail }: InvariantContext,
  name: string,
  protocol: WorldAaveProtocol,
  s: ReserveSnapshot,
  i: number,
  users: readonly UserSnapshot[],
): void {
  const symbol = protocol.reserveOrder[i] ?? "?";
  const where = `${name} ${symbol}`;
  const supply = users.reduce((sum, u) => sum + (u.scaledSupply[i] ?? 0n), 0n);
  const debt = users.reduce((sum, u) => sum + (u.scaledDebt[i] ?? 0n), 0n);
  if (supply !== s.scaledATokenSupply) fail(`${where}: sum of scaled aToken balances == scaled total supply`, { sum: supply, total: s.scaledATokenSupply });
  if (debt !== s.scaledDebtSupply) fail(`${where}: sum of scaled debt balances == scaled total debt`, { sum: debt, total: s.scaledDebtSupply });
  if (s.balance < s.virtualBalance) fail(`${where}: underlying held >= virtual balance`, { balance: s.balance, virtualBalance: s.virtualBalance });
  const events = badDebtEvents.get(`${name}/${symbol}`) ?? 0n;
  if (s.deficit !== events) fail(`${where}: outstanding deficit == sum of DeficitCreated events`, { deficit: s.deficit, events });
}

function checkAccount({ state, fail }: InvariantContext, name: string, view: AaveProtocolView, address: Address, onChain: AccountSnapshot, position: AaveV3Math.AaveUserPosition): void {
  const hasDebt = position.scaledDebt.some((x) => x > 0n);
  const hasCollateral = position.scaledSupply.some((x, i) => x > 0n && (position.collateralEnabled[i] ?? false));
  if (hasDebt && !hasCollateral) fail(`${name}: no debt without collateral`, { user: address });
  const model = AaveV3Math.userAccountData(view.reserves, position, state.timestamp);
  if (!onChain.ok || !model) {
    if (onChain.ok !== (model !== undefined)) fail(`${name}: account readable on chain == in the model`, { user: address, chain: onChain.ok, model: model !== undefined });
    return;
  }
  for (const f of ACCOUNT_FIELDS) {
    if (onChain[f] !== model[f]) fail(`${name}: the model's ${f} == Aave's`, { user: address, pool: onChain[f], model: model[f] });
  }
}

export function checkAaveLiquidation({ world, state, fail }: InvariantContext, protocol: WorldProtocol, l: LiquidationFacts): void {
  if (protocol.kind !== "aave-v3.6") return;
  const reserve = protocol.spec.reserves.find((r) => r.asset === l.collateral);
  const debtReserve = protocol.spec.reserves.find((r) => r.asset === l.debt);
  const c = world.assets.get(l.collateral);
  const d = world.assets.get(l.debt);
  // Only push feeds hold one price for the whole block; an AMM-read feed moves with the block's swaps.
  if (!reserve || !debtReserve || !c || !d || reserve.feed !== l.collateral || debtReserve.feed !== l.debt || l.collateralSeized === 0n) return;
  const pc = state.feeds.get(l.collateral)?.answer ?? 0n;
  const pd = state.feeds.get(l.debt)?.answer ?? 0n;
  if (pc <= 0n || pd <= 0n) return;
  if ((l.collateralSeized - 1n) * pc * d.unit * WAD > (l.debtRepaid + 1n) * reserve.liquidationBonusWad * pd * c.unit) {
    fail("seized <= repaid x bonus x debtPrice / collateralPrice (Aave's rounding: 1 wei of each)", { borrower: l.borrower, seized: l.collateralSeized, repaid: l.debtRepaid });
  }
}
