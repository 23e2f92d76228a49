using CaseExchange.Statistics;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Statistics;

/// <summary>The period check of the statistics, without a service: whole months, closed ones, at most five years.</summary>
public sealed class ReadStatisticsCheckTests
{
    private static readonly DateOnly LastClosedDay = new(2026, 2, 28);

    [Fact]
    public void A_period_of_whole_closed_months_passes()
    {
        Assert.Empty(Fields(ReadStatisticsUseCase.Check(new DateOnly(2026, 1, 1), LastClosedDay, LastClosedDay)));
    }

    [Fact]
    public void Partial_months_the_current_month_reversed_or_too_long_periods_are_refused()
    {
        Assert.Equal(["from"], Fields(ReadStatisticsUseCase.Check(new DateOnly(2026, 1, 2), LastClosedDay, LastClosedDay)).Keys);
        Assert.Equal(["to"], Fields(ReadStatisticsUseCase.Check(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 30), LastClosedDay)).Keys);
        Assert.Equal(["to"], Fields(ReadStatisticsUseCase.Check(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), LastClosedDay)).Keys);
        Assert.Equal(["to"], Fields(ReadStatisticsUseCase.Check(new DateOnly(2026, 2, 1), new DateOnly(2026, 1, 31), LastClosedDay)).Keys);
        Assert.Equal(["to"], Fields(ReadStatisticsUseCase.Check(new DateOnly(2020, 1, 1), LastClosedDay, LastClosedDay)).Keys);
    }

    [Fact]
    public void The_last_closed_day_is_the_end_of_the_previous_french_month()
    {
        // 1 March 2026, 00:30 in Paris is still 28 February in UTC: March has begun, February is closed.
        Assert.Equal(new DateOnly(2026, 2, 28), ReadStatisticsUseCase.LastClosedDay(new DateTimeOffset(2026, 2, 28, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 1, 31), ReadStatisticsUseCase.LastClosedDay(new DateTimeOffset(2026, 2, 28, 22, 30, 0, TimeSpan.Zero)));
    }
}
