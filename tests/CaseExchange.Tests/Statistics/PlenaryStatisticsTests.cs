using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Statistics;

namespace CaseExchange.Tests.Statistics;

/// <summary>Whole reports computed from random situations, without a database.</summary>
public sealed class PlenaryStatisticsTests
{
    private static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));
    private static readonly PlenaryStatistics Statistics = new(Policy);
    private static readonly Council Council = new()
    {
        Name = "CLSPD de test", Code = "test",
        Sectors = [new Sector("nord", "Quartier nord"), new Sector("sud", "Quartier sud"), new Sector("centre", "Centre-ville")],
    };
    private static readonly DateOnly From = new(2026, 1, 1);
    private static readonly DateOnly To = new(2026, 6, 30);

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 25)];

    [Theory, MemberData(nameof(Seeds))]
    public void No_report_publishes_a_small_count_or_lets_a_suppressed_one_be_recomputed_from_the_totals(int seed)
    {
        var random = new Random(seed);
        var facts = RandomSituations(random, random.Next(0, 45));
        var report = Statistics.Compute(facts, Council, From, To);
        var threshold = Policy.Statistics.MinimumCount;
        var context = $"seed {seed}, {facts.Count} situations";

        Assert.Equal(facts.Count < threshold, report.SituationsSuppressed);
        foreach (var table in report.Tables)
        {
            foreach (var cell in table.Cells)
            {
                Assert.Equal(cell.Suppressed, cell.Count is null);
                Assert.False(cell.Count is > 0 && cell.Count < threshold, $"{table.Code}/{cell.Code} = {cell.Count} published: {context}");
            }
            var hidden = TrueCounts(facts, table).Where((_, i) => table.Cells[i].Suppressed).ToList();
            if (table.Total is not null && hidden.Count > 0)
                Assert.True(hidden.Count >= 2 && hidden.Sum() >= threshold, $"{table.Code}: suppressed cells recomputable or small together: {context}");
        }
        Assert.Empty(DisclosureAttack.RecomputableSuppressedCells(report));
        if (report.MedianDaysToFirstExamination is not null)
            Assert.True(facts.Count(f => f.FirstExaminedAt is not null) >= threshold, context);
    }

    [Fact]
    public void Fewer_situations_than_the_threshold_publish_nothing_but_the_period()
    {
        var report = Statistics.Compute(RandomSituations(new Random(7), Policy.Statistics.MinimumCount - 1), Council, From, To);
        Assert.Null(report.Situations);
        Assert.All(report.Tables.SelectMany(t => t.Cells), c => Assert.Null(c.Count));
        Assert.Null(report.MedianDaysToFirstExamination);
    }

    [Fact]
    public void Partition_tables_add_up_to_the_number_of_situations()
    {
        var facts = RandomSituations(new Random(3), 200);
        var report = Statistics.Compute(facts, Council, From, To);
        foreach (var table in report.Tables.Where(t => t.Total is not null))
            Assert.Equal(facts.Count, TrueCounts(facts, table).Sum());
        Assert.Null(report.Tables.Single(t => t.Code == StatisticsTables.Reasons).Total);
    }

    private static List<SituationFacts> RandomSituations(Random random, int count)
    {
        var reasons = Policy.ReferralReasons.Select(r => r.Code).Take(5).ToArray();
        var sectors = Council.Sectors.Select(s => s.Code).ToArray();
        var outcomes = Policy.Outcomes.Select(o => o.Code).ToArray();
        var span = (int)(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero) - new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)).TotalHours;
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var referred = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddHours(random.Next(span));
            return new SituationFacts
            {
                Reasons = [.. reasons.OrderBy(_ => random.Next()).Take(random.Next(1, 3))],
                // Skewed towards the first sector and the first reasons, so that small cells are frequent.
                Sector = sectors[random.Next(10) < 6 ? 0 : random.Next(sectors.Length)],
                ReferredAt = referred,
                FirstExaminedAt = random.Next(10) < 3 ? null : referred.AddDays(random.Next(0, 150)),
                Outcome = random.Next(2) == 0 ? null : outcomes[random.Next(2)],
            };
        })];
    }

    /// <summary>The true counts behind a table, recomputed independently from the facts.</summary>
    private static List<int> TrueCounts(IReadOnlyList<SituationFacts> facts, StatisticsTable table) => [.. table.Cells.Select(cell => table.Code switch
    {
        StatisticsTables.Reasons => facts.Count(f => f.Reasons.Contains(cell.Code)),
        StatisticsTables.Sectors => facts.Count(f => f.Sector == cell.Code),
        StatisticsTables.Months => facts.Count(f => FrenchTime.Local(f.ReferredAt).ToString("yyyy-MM") == cell.Code),
        StatisticsTables.Outcomes => facts.Count(f => (f.Outcome ?? StatisticsTables.StillOpen) == cell.Code),
        StatisticsTables.Delays => facts.Count(f => DelayCode(f) == cell.Code),
        _ => throw new InvalidOperationException(table.Code),
    })];

    private static string DelayCode(SituationFacts f)
    {
        if (f.FirstExaminedAt is null) return StatisticsTables.NotYetExamined;
        var days = (f.FirstExaminedAt.Value - f.ReferredAt).TotalDays;
        return days < 15 ? "moins-15-jours" : days < 31 ? "15-30-jours" : days < 92 ? "1-3-mois" : "plus-3-mois";
    }
}
