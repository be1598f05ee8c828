// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockPriceFeed
/// @notice A Chainlink-compatible push feed whose owner (the simulator's oracle keeper) pushes answers.
/// Each `updateAnswer` opens a new round answered in that same round, with `startedAt == updatedAt ==
/// block.timestamp`, as a Chainlink OCR feed reports it. Answers <= 0 are stored as given, so that
/// consumers' guards against them can be exercised.
/// @dev Failure modes for teaching and tests, each switched by the owner and announced by an event:
/// a frozen feed ignores updates and keeps reporting its last round; the latest round's `updatedAt` can be
/// overwritten (stale or zero); reads can be made to revert (feed unavailable).
contract MockPriceFeed is AggregatorV3Interface, Ownable {
    /// @notice The value `version()` returns: the version of Chainlink's current OCR aggregators.
    uint256 public constant VERSION = 4;

    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
    }

    uint8 private immutable _decimals;
    string private _description;

    /// @notice Id of the latest round; rounds are numbered 1, 2, 3, ... and round 1 exists from deployment.
    uint80 public latestRound;

    /// @notice Whether `updateAnswer` is ignored (the feed keeps reporting its last round).
    bool public frozen;

    /// @notice Whether `latestRoundData` and `getRoundData` revert with `FeedUnavailable`.
    bool public revertOnRead;

    mapping(uint80 roundId => Round) private _rounds;

    /// @notice Chainlink's event for a new answer, emitted on every accepted update.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// @notice Chainlink's event for a new round, emitted on every accepted update.
    event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);

    /// @notice Emitted when `updateAnswer` is called while the feed is frozen; nothing is stored.
    event UpdateIgnored(int256 answer);

    /// @notice Emitted when the owner freezes or unfreezes the feed.
    event FrozenSet(bool frozen);

    /// @notice Emitted when the owner overwrites the latest round's `updatedAt`.
    event LatestUpdatedAtSet(uint80 indexed roundId, uint256 updatedAt);

    /// @notice Emitted when the owner makes reads revert or succeed again.
    event RevertOnReadSet(bool revertOnRead);

    /// @notice Thrown when `latestRoundData` or `getRoundData` is called while `revertOnRead` is set.
    error FeedUnavailable();

    /// @notice Thrown when `getRoundData` is asked for round 0 or a round after `latestRound`.
    error RoundNotFound(uint80 roundId);

    /// @param decimals_ Decimals of every answer (8 for USD feeds).
    /// @param description_ Feed name, e.g. "ETH / USD".
    /// @param initialAnswer Answer of round 1, recorded at `block.timestamp`.
    /// @param owner_ The only account that can update the feed and switch its failure modes.
    constructor(uint8 decimals_, string memory description_, int256 initialAnswer, address owner_)
        Ownable(owner_)
    {
        _decimals = decimals_;
        _description = description_;
        _newRound(initialAnswer);
    }

    /// @notice Pushes `answer` as a new round at `block.timestamp`, unless the feed is frozen, in which case
    /// the call is a no-op that emits `UpdateIgnored` (a stuck keeper does not revert, it just goes unheard).
    function updateAnswer(int256 answer) external onlyOwner {
        if (frozen) {
            emit UpdateIgnored(answer);
            return;
        }
        _newRound(answer);
    }

    /// @notice Freezes (`true`) or unfreezes (`false`) the feed. Unfreezing does not replay ignored
    /// answers: the next accepted update opens round `latestRound + 1`.
    function setFrozen(bool frozen_) external onlyOwner {
        frozen = frozen_;
        emit FrozenSet(frozen_);
    }

    /// @notice Overwrites the latest round's `updatedAt` with `ts` (seconds), e.g. an old time to model a
    /// stale feed, or 0 to model Chainlink's "round not complete". `startedAt` and the answer are unchanged.
    function setLatestUpdatedAt(uint256 ts) external onlyOwner {
        uint80 roundId = latestRound;
        _rounds[roundId].updatedAt = ts;
        emit LatestUpdatedAtSet(roundId, ts);
    }

    /// @notice Makes `latestRoundData` and `getRoundData` revert with `FeedUnavailable` (`true`) or
    /// answer again (`false`).
    function setRevertOnRead(bool revertOnRead_) external onlyOwner {
        revertOnRead = revertOnRead_;
        emit RevertOnReadSet(revertOnRead_);
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return VERSION;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 _roundId)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        if (revertOnRead) revert FeedUnavailable();
        if (_roundId == 0 || _roundId > latestRound) revert RoundNotFound(_roundId);
        return _roundData(_roundId);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        if (revertOnRead) revert FeedUnavailable();
        return _roundData(latestRound);
    }

    function _newRound(int256 answer) private {
        uint80 roundId = latestRound + 1;
        latestRound = roundId;
        _rounds[roundId] = Round({answer: answer, startedAt: block.timestamp, updatedAt: block.timestamp});
        emit NewRound(roundId, msg.sender, block.timestamp);
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }

    /// @dev Every round is answered in itself (`answeredInRound == roundId`), as on Chainlink OCR feeds.
    function _roundData(uint80 roundId_)
        private
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round storage round = _rounds[roundId_];
        return (roundId_, round.answer, round.startedAt, round.updatedAt, roundId_);
    }
}
