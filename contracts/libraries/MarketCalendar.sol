// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MarketCalendar
/// @notice Trading days of a Chinese carbon market: Monday to Friday in China Standard Time
/// (UTC+8), less the days whose close (15:00 CST) falls inside a scheduled closure window.
/// @dev A "market day" is the number of whole days since 1970-01-01 00:00 CST. Windows are
/// [start, end) in unix seconds, sorted by start and not overlapping (the feed keeps them so).
library MarketCalendar {
    /// @notice One scheduled closure (a holiday): the market is closed from `start` until `end`.
    struct Closure {
        uint40 start;
        uint40 end;
    }

    /// @dev China Standard Time is UTC+8, all year.
    uint256 internal constant UTC_OFFSET = 8 hours;
    /// @dev The daily close, 15:00 CST, is 07:00 UTC of the market day.
    uint256 internal constant CLOSE_AFTER_MIDNIGHT = 15 hours;
    /// @dev Longest run of non-trading days searched (Spring Festival plus weekends is about ten).
    uint256 internal constant MAX_GAP = 64;
    /// @dev Trading days counted at most between two observations (the band stops widening there).
    uint256 internal constant MAX_COUNT = 20;

    /// @notice The market day of a unix time.
    function dayOf(uint256 time) internal pure returns (uint256) {
        return (time + UTC_OFFSET) / 1 days;
    }

    /// @notice The unix time of a market day's close (15:00 CST).
    function closeOf(uint256 day) internal pure returns (uint256) {
        return day * 1 days + CLOSE_AFTER_MIDNIGHT - UTC_OFFSET;
    }

    /// @notice Whether a market day is a Saturday or Sunday (1970-01-01 was a Thursday).
    function isWeekend(uint256 day) internal pure returns (bool) {
        return (day + 3) % 7 >= 5;
    }

    /// @notice Whether `time` falls inside one of the windows.
    function inClosure(Closure[] memory windows, uint256 time) internal pure returns (bool) {
        for (uint256 i = 0; i < windows.length; ++i) {
            if (time < windows[i].start) return false; // sorted: no later window can hold it
            if (time < windows[i].end) return true;
        }
        return false;
    }

    /// @notice Whether the market trades (and publishes a close) on `day`.
    function isTradingDay(Closure[] memory windows, uint256 day) internal pure returns (bool) {
        return !isWeekend(day) && !inClosure(windows, closeOf(day));
    }

    /// @notice The first trading day after `day` (searching at most MAX_GAP days; past that, the day after the gap).
    function nextTradingDay(Closure[] memory windows, uint256 day) internal pure returns (uint256) {
        for (uint256 d = day + 1; d <= day + MAX_GAP; ++d) {
            if (isTradingDay(windows, d)) return d;
        }
        return day + MAX_GAP;
    }

    /// @notice How many daily price limits the market may have moved between the closes of `fromDay`
    /// and `toDay`: one per trading day in (fromDay, toDay], plus one per closure window between the
    /// two closes (a market reopens with the news of the holiday), at most MAX_COUNT.
    function limitDays(Closure[] memory windows, uint256 fromDay, uint256 toDay) internal pure returns (uint256 n) {
        if (toDay <= fromDay) return 0;
        if (toDay - fromDay > MAX_GAP) return MAX_COUNT;
        for (uint256 d = fromDay + 1; d <= toDay; ++d) {
            if (isTradingDay(windows, d)) ++n;
        }
        (uint256 from, uint256 to) = (closeOf(fromDay), closeOf(toDay));
        for (uint256 i = 0; i < windows.length; ++i) {
            if (windows[i].start > from && windows[i].end <= to) ++n;
        }
        if (n > MAX_COUNT) n = MAX_COUNT;
    }
}
