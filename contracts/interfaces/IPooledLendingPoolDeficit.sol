// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A reserve's deficit, in the asset's native decimals: bad debt booked as outstanding instead of
/// being absorbed. `BadDebtTotals.recorded == coveredByReserves + socializedToSuppliers + outstanding + covered`.
struct ReserveDeficit {
    /// @dev Written-off debt nobody has paid for yet: suppliers' balances still count it, the pool's
    /// tokens do not hold it.
    uint256 outstanding;
    /// @dev Deficit paid back into the reserve so far (`coverDeficit`).
    uint256 covered;
}

/// @title IPooledLendingPoolDeficit
/// @notice `IPooledLendingPool` with Aave 3.3+'s bad-debt rule: debt written off when a borrower has no
/// collateral left becomes the reserve's outstanding deficit. Reserves and suppliers' shares are left
/// untouched; the deficit stays until someone covers it.
interface IPooledLendingPoolDeficit {
    /// @notice Debt written off by `BadDebtRecorded` in `asset`, booked as the reserve's deficit.
    event DeficitCreated(address indexed asset, uint256 assets);
    /// @notice `from` paid `assets` of the reserve's outstanding deficit.
    event DeficitCovered(address indexed asset, address indexed from, uint256 assets);

    /// @notice Thrown when a cover exceeds the reserve's outstanding deficit.
    error DeficitExceeded(uint256 assets, uint256 outstanding);

    /// @notice The reserve's deficit: outstanding, and covered so far.
    function getReserveDeficit(address asset) external view returns (ReserveDeficit memory);

    /// @notice Pays `assets` of `asset`'s outstanding deficit from the caller's tokens (Aave:
    /// `eliminateReserveDeficit`); suppliers' shares do not change, the pool's tokens grow.
    function coverDeficit(address asset, uint256 assets) external;
}
