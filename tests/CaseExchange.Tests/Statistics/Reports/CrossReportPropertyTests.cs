using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Statistics;
using CaseExchange.Statistics.Reports;

namespace CaseExchange.Tests.Statistics.Reports;

/// <summary>
/// Property: for random data and random sequences of fixed-period reports published one after the other, no suppressed
/// cell of any report and no small count of any fixed period can be recomputed from any linear combination of the
/// published figures (the test's own attacker, <see cref="PublishedSystemOracle"/>); and a naive publication (each
/// report protected on its own only) is caught.
/// </summary>
public sealed class CrossReportPropertyTests
{
    private static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));
    private static readonly PlenaryStatistics Statistics = new(Policy);
    private static readonly int Threshold = Policy.Statistics.MinimumCount;
    private static readonly Council Council = new()
    {
        Name = "CLSPD de test", Code = "test",
        Sectors = [new Sector("nord", "Quartier nord"), new Sector("sud", "Quartier sud"), new Sector("centre", "Centre-ville")],
    };
    private static readonly DateOnly LastClosedDay = new(2026, 11, 30);

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 12)];

    [Theory, MemberData(nameof(Seeds))]
    public void No_sequence_of_published_reports_lets_a_suppressed_cell_or_a_small_count_be_recomputed(int seed)
    {
        var random = new Random(20261203 + seed);
        for (var trial = 0; trial < 3; trial++)
        {
            var years = random.Next(3) == 0 ? new[] { 2024, 2025 } : [2025];
            var facts = RandomSituations(random, years, random.Next(10, 90));
            var periods = years.SelectMany(FixedPeriod.OfYear).OrderBy(_ => random.Next()).Take(random.Next(2, 8 * years.Length)).ToList();
            var reports = new PlenaryReports();
            var truth = years.SelectMany(FixedPeriod.OfYear).Select(p => Statistics.ComputePeriod(facts, Council, p.From, p.To, suppress: false)).ToList();
            foreach (var period in periods)
            {
                var published = PublishPlenaryReportUseCase.Decide(Statistics, Council, facts, reports, period, LastClosedDay, Guid.Empty,
                    DateTimeOffset.UnixEpoch, Threshold);
                reports.Apply(published);
                var context = $"seed {seed}, trial {trial}, {facts.Count} situations, after {string.Join(", ", reports.Reports.Select(r => r.Period))}";
                foreach (var cell in published.Report.Tables.SelectMany(t => t.Cells))
                    Assert.False(cell.Count is > 0 && cell.Count < Threshold, $"{cell.Code} = {cell.Count} published: {context}");
                Assert.False(published.Report.Situations is > 0 and var n && n < Threshold, context);
                var leaks = PublishedSystemOracle.Recomputable([.. reports.Reports.Select(r => r.Report)], truth, Threshold);
                Assert.True(leaks.Count == 0, $"Recomputable: {string.Join("; ", leaks)} — {context}");
            }
        }
    }

    /// <summary>
    /// The attacker is not blind: Q1, Q2 and Q3 then the year, each protected on its own only, give Q4's two situations
    /// in the south by difference (year − Q1 − Q2 − Q3). The service's check sees it too, and suppresses more in the year.
    /// </summary>
    [Fact]
    public void A_naive_publication_is_caught_and_the_protected_one_is_not()
    {
        var facts = new List<SituationFacts>();
        foreach (var (month, sector, count) in new[] { (1, "nord", 12), (2, "sud", 10), (4, "nord", 12), (5, "sud", 10), (7, "nord", 12), (8, "sud", 10), (10, "nord", 12), (11, "sud", 2) })
            facts.AddRange(Enumerable.Range(0, count).Select(i => Situation(new DateTimeOffset(2025, month, 10, 12, 0, 0, TimeSpan.Zero).AddHours(i), sector)));
        var sequence = new[] { "2025-T1", "2025-T2", "2025-T3", "2025" }.Select(p => FixedPeriod.Parse(p)!).ToList();
        var truth = FixedPeriod.OfYear(2025).Select(p => Statistics.ComputePeriod(facts, Council, p.From, p.To, suppress: false)).ToList();

        var naive = sequence.Select(p => Statistics.ComputePeriod(facts, Council, p.From, p.To)).ToList();
        var naiveLeaks = PublishedSystemOracle.Recomputable(naive, truth, Threshold);
        Assert.Contains(naiveLeaks, l => l.Contains("secteurs/sud = 2"));
        // The service's own check agrees with the test's attacker.
        Assert.Contains(new DisclosureCheck(naive, truth, Threshold).Find(naive), d => d is { Table: StatisticsTables.Sectors, Cell: "sud", Suppressed: false });

        var reports = new PlenaryReports();
        foreach (var period in sequence)
            reports.Apply(PublishPlenaryReportUseCase.Decide(Statistics, Council, facts, reports, period, LastClosedDay, Guid.Empty, DateTimeOffset.UnixEpoch, Threshold));
        Assert.Empty(PublishedSystemOracle.Recomputable([.. reports.Reports.Select(r => r.Report)], truth, Threshold));
        var year = reports.Of("2025")!;
        Assert.Contains(StatisticsTables.Sectors + "/sud", year.SuppressedAcrossReports);
        Assert.True(year.Report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells.Single(c => c.Code == "sud").Suppressed);
    }

    [Theory]
    [InlineData("2025", "2025-01-01", "2025-12-31")]
    [InlineData("2025-S2", "2025-07-01", "2025-12-31")]
    [InlineData("2025-t3", "2025-07-01", "2025-09-30")]
    public void Fixed_periods_are_read_from_their_codes(string code, string from, string to)
    {
        var period = FixedPeriod.Parse(code)!;
        Assert.Equal(DateOnly.Parse(from), period.From);
        Assert.Equal(DateOnly.Parse(to), period.To);
    }

    [Theory]
    [InlineData("2025-T5")]
    [InlineData("2025-S3")]
    [InlineData("2025-01")]
    [InlineData("25")]
    [InlineData("")]
    public void Other_periods_are_refused(string code) => Assert.Null(FixedPeriod.Parse(code));

    private static SituationFacts Situation(DateTimeOffset referred, string sector) => new()
    {
        Reasons = ["decrochage-scolaire"], Sector = sector, ReferredAt = referred,
    };

    private static List<SituationFacts> RandomSituations(Random random, int[] years, int count)
    {
        var reasons = Policy.ReferralReasons.Select(r => r.Code).Take(4).ToArray();
        var sectors = Council.Sectors.Select(s => s.Code).ToArray();
        var outcomes = Policy.Outcomes.Select(o => o.Code).ToArray();
        var start = new DateTimeOffset(years[0], 1, 1, 12, 0, 0, TimeSpan.Zero);
        var hours = (int)(new DateTimeOffset(years[^1], 12, 28, 12, 0, 0, TimeSpan.Zero) - start).TotalHours;
        return [.. Enumerable.Range(0, count * years.Length).Select(_ =>
        {
            var referred = start.AddHours(random.Next(hours));
            var examined = random.Next(10) < 3 ? (DateTimeOffset?)null : referred.AddDays(random.Next(0, 150));
            return new SituationFacts
            {
                Reasons = [.. reasons.OrderBy(_ => random.Next()).Take(random.Next(1, 3))],
                // Skewed towards the first sector, so that small cells are frequent.
                Sector = sectors[random.Next(10) < 6 ? 0 : random.Next(sectors.Length)],
                ReferredAt = referred,
                FirstExaminedAt = examined,
                Outcome = examined is null || random.Next(2) == 0 ? null : outcomes[random.Next(2)],
                ClosedAt = examined?.AddDays(random.Next(0, 120)),
            };
        })];
    }
}
