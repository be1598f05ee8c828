// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A reserve to list with `initReserves` (Aave V3.6's `ConfiguratorInputTypes.InitReserveInput`, in its
/// ABI layout). Our own declaration of what we call: no Aave source is copied.
struct AaveInitReserveInput {
    address aTokenImpl;
    address variableDebtTokenImpl;
    address underlyingAsset;
    string aTokenName;
    string aTokenSymbol;
    string variableDebtTokenName;
    string variableDebtTokenSymbol;
    bytes params;
    /// @dev The rate strategy's data: abi.encode of (uint16 optimalUsageRatio, uint32 baseVariableBorrowRate,
    /// uint32 variableRateSlope1, uint32 variableRateSlope2), basis points.
    bytes interestRateData;
}

/// @notice The Aave V3.6 pool entry points liqsim's agents call, and the two events its records come from
/// (emitted by the pool's logic libraries in the pool's context). With `IAaveV3PoolViews`, the ABI of the
/// typed pool handle.
interface IAaveV3PoolActions {
    /// @notice `liquidatedCollateralAmount` is what the liquidator received: the protocol fee is not in it.
    event LiquidationCall(
        address indexed collateralAsset,
        address indexed debtAsset,
        address indexed user,
        uint256 debtToCover,
        uint256 liquidatedCollateralAmount,
        address liquidator,
        bool receiveAToken
    );
    /// @notice Debt left without collateral, burned into the reserve's deficit.
    event DeficitCreated(address indexed user, address indexed debtAsset, uint256 amountCreated);

    function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
    /// @dev `interestRateMode` 2: variable (the only mode of V3.6).
    function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf) external;
    function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf) external returns (uint256);
    /// @dev `debtToCover` type(uint256).max: as much as the close factor allows.
    function liquidationCall(address collateralAsset, address debtAsset, address borrower, uint256 debtToCover, bool receiveAToken)
        external;
}

/// @notice The pool configurator calls of liqsim's deployment (risk and pool admin). Amounts in basis points;
/// caps in whole tokens.
interface IAaveV3PoolConfigurator {
    function initReserves(AaveInitReserveInput[] calldata input) external;
    function configureReserveAsCollateral(address asset, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus)
        external;
    function setReserveBorrowing(address asset, bool enabled) external;
    function setReserveFactor(address asset, uint256 newReserveFactor) external;
    function setLiquidationProtocolFee(address asset, uint256 newFee) external;
    function setSupplyCap(address asset, uint256 newSupplyCap) external;
    function setBorrowCap(address asset, uint256 newBorrowCap) external;
}

/// @notice The addresses provider calls of liqsim's deployment: it creates the pool's and configurator's proxies.
interface IAaveV3PoolAddressesProvider {
    function getPool() external view returns (address);
    function getPoolConfigurator() external view returns (address);
    function setACLAdmin(address newAclAdmin) external;
    function setACLManager(address newAclManager) external;
    function setPoolImpl(address newPoolImpl) external;
    function setPoolConfiguratorImpl(address newPoolConfiguratorImpl) external;
    function setPriceOracle(address newPriceOracle) external;
    function setPoolDataProvider(address newDataProvider) external;
}

/// @notice The ACL manager calls of liqsim's deployment.
interface IAaveV3ACLManager {
    function addPoolAdmin(address admin) external;
    function addRiskAdmin(address admin) external;
}

/// @notice AaveOracle's source setting (with `IAaveV3PriceOracle`, the ABI of the typed oracle handle).
interface IAaveV3OracleAdmin {
    function setAssetSources(address[] calldata assets, address[] calldata sources) external;
}
