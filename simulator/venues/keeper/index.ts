/** What every venue's keeper shares: gas estimates and costs, the block budget, the order of targets, atomic and sale plans. */
export { ATOMIC_LIQUIDATION_GAS_ESTIMATE, LIQUIDATION_GAS_ESTIMATE, SALE_GAS_ESTIMATE, gasCostUsdE8, gasTokenPriceE8 } from "./gas";
export { BlockBudget } from "./budget";
export { byLargestDebt } from "./order";
export { atomicAccepts, atomicPlan } from "./atomic";
export { saleGasEstimate, saleIntents } from "./sale";
