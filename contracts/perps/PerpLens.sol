// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

import {IPerpExchange, PerpMarketParams, PerpMarketState, PerpPosition, AccountHealth, Tier} from "../interfaces/IPerpExchange.sol";
import {PerpMath} from "../libraries/PerpMath.sol";

/// @notice One account's position in one market as an observer sees it in a block.
struct PerpPositionSnapshot {
    address account;
    uint256 marketId;
    PerpPosition position;
    /// @dev False when a feed the figures need reverts (stale, <= 0): the figures below are then 0.
    bool priced;
    /// @dev Unrealized PnL at mark, collateral units, rounded against the trader.
    int256 unrealizedPnl;
    /// @dev The health of the margin group holding the position (the account's cross group or the
    /// isolated position), as `accountHealth` reports it.
    AccountHealth health;
    /// @dev PerpMath.bankruptcyPriceE8 with margin = isolated margin, or group equity - this PnL.
    uint256 bankruptcyPriceE8;
    /// @dev PerpMath.liquidationPriceE8 at the maintenance rate of the position's tier at mark, same margin
    /// (exact for a single-position group; other positions' PnL is held at its current value).
    uint256 liquidationPriceE8;
}

/// @notice One market as an observer sees it in a block.
struct PerpMarketSnapshot {
    PerpMarketState state;
    /// @dev 0 when the feed reverts.
    uint256 markPriceE8;
    /// @dev The vault's unrealized PnL in the market (0 when the feed reverts).
    int256 vaultUnrealizedPnl;
}

/// @title PerpLens
/// @notice Batched reads of a `PerpExchange`: one call per block for many accounts and markets.
contract PerpLens {
    /// @notice Each account's balance, and a snapshot of every (account, market) pair, account-major
    /// (rows[i * marketIds.length + j] is accounts[i] in marketIds[j]).
    function getAccounts(IPerpExchange exchange, address[] calldata accounts, uint256[] calldata marketIds)
        external
        view
        returns (int256[] memory balances, PerpPositionSnapshot[] memory rows)
    {
        uint256 unit = 10 ** uint256(IERC20Metadata(exchange.collateralToken()).decimals());
        balances = new int256[](accounts.length);
        rows = new PerpPositionSnapshot[](accounts.length * marketIds.length);
        for (uint256 i; i < accounts.length; ++i) {
            balances[i] = exchange.balance(accounts[i]);
            for (uint256 j; j < marketIds.length; ++j) {
                rows[i * marketIds.length + j] = _snapshot(exchange, accounts[i], marketIds[j], unit);
            }
        }
    }

    /// @notice Each market's open interest, mark price and the vault's unrealized PnL.
    function getMarkets(IPerpExchange exchange, uint256[] calldata marketIds)
        external
        view
        returns (PerpMarketSnapshot[] memory snapshots)
    {
        snapshots = new PerpMarketSnapshot[](marketIds.length);
        for (uint256 j; j < marketIds.length; ++j) {
            snapshots[j].state = exchange.marketState(marketIds[j]);
            try exchange.markPriceE8(marketIds[j]) returns (uint256 markE8) {
                snapshots[j].markPriceE8 = markE8;
                snapshots[j].vaultUnrealizedPnl = exchange.vaultUnrealizedPnl(marketIds[j]);
            } catch {}
        }
    }

    function _snapshot(IPerpExchange exchange, address account, uint256 marketId, uint256 unit)
        internal
        view
        returns (PerpPositionSnapshot memory s)
    {
        s.account = account;
        s.marketId = marketId;
        s.position = exchange.position(account, marketId);
        if (s.position.size == 0) return s;
        try exchange.accountHealth(account, marketId) returns (AccountHealth memory h) {
            s.health = h;
        } catch {
            return s;
        }
        s.priced = true;
        s.unrealizedPnl = exchange.unrealizedPnl(account, marketId);
        PerpMarketParams memory params = exchange.marketParams(marketId);
        int256 margin = s.position.isolated ? s.position.isolatedMargin : s.health.equity - s.unrealizedPnl;
        s.bankruptcyPriceE8 =
            PerpMath.bankruptcyPriceE8(params.kind, s.position.isLong, s.position.size, s.position.openNotional, margin, unit);
        uint256 markE8 = exchange.markPriceE8(marketId);
        uint256 mmrWad = _mmrAt(exchange.tiers(marketId), PerpMath.notionalUp(params.kind, s.position.size, markE8, unit));
        s.liquidationPriceE8 = PerpMath.liquidationPriceE8(
            params.kind, s.position.isLong, s.position.size, s.position.openNotional, margin, mmrWad, unit
        );
    }

    function _mmrAt(Tier[] memory tiers, uint256 notional) internal pure returns (uint256) {
        uint256 i;
        while (tiers[i].maxNotional < notional) ++i;
        return tiers[i].mmrWad;
    }
}
