using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Sectors;
using CaseExchange.Statistics;
using CaseExchange.Tests.Councils;

namespace CaseExchange.Tests.Statistics;

/// <summary>
/// Statistics per commune of an intercommunal council, without a database: the commune table and the sector table are
/// linked (a commune is the sum of its sectors), so neither may give away a cell the other suppresses.
/// </summary>
public sealed class CommuneStatisticsTests
{
    private static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));
    private static readonly PlenaryStatistics Statistics = new(Policy);
    private static readonly DateOnly From = new(2026, 1, 1);
    private static readonly DateOnly To = new(2026, 6, 30);
    private const int Threshold = 5;

    private static Council Intercommunal(params (string Code, string? Commune)[] sectors) => new()
    {
        Name = "CISPD de test", Code = "cispd",
        Sectors = [.. sectors.Select(s => new Sector(s.Code, $"Secteur {s.Code}", s.Commune))],
    };

    private static List<SituationFacts> Facts(params (string Sector, int Count)[] counts) =>
    [
        .. counts.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => new SituationFacts
        {
            Reasons = ["errance"], Sector = c.Sector, ReferredAt = new DateTimeOffset(2026, 2, 1 + i % 27, 12, 0, 0, TimeSpan.Zero),
        })),
    ];

    [Fact]
    public void A_council_whose_sectors_name_no_commune_has_no_commune_table()
    {
        var report = Statistics.WithCommunes(Facts(("a", 10)), Intercommunal(("a", null)), From, To);
        Assert.Null(report.Communes);
    }

    [Fact]
    public void A_commune_minus_its_published_sector_never_gives_the_suppressed_one()
    {
        // Sector a1 (3) is suppressed; the sector line's complement is b1 (10, the smallest). Published as they are, commune
        // A (23) minus sector a2 (20) would give a1 = 3. The two tables protected together hide enough to prevent it.
        var council = Intercommunal(("a1", "Alpha"), ("a2", "Alpha"), ("b1", "Beta"));
        var alone = Statistics.Compute(Facts(("a1", 3), ("a2", 20), ("b1", 10)), council, From, To);
        var aloneSectors = alone.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells.ToDictionary(c => c.Code);
        Assert.True(aloneSectors["a1"].Suppressed);
        Assert.Equal(20, aloneSectors["a2"].Count);

        var report = Statistics.WithCommunes(Facts(("a1", 3), ("a2", 20), ("b1", 10)), council, From, To);
        var sectors = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells.ToDictionary(c => c.Code);
        var communes = report.Communes!.Cells.ToDictionary(c => c.Code);
        Assert.True(sectors["a1"].Suppressed);
        Assert.False(communes["Alpha"].Count is { } alpha && sectors["a2"].Count is { } a2 && alpha - a2 < Threshold,
            "commune Alpha minus sector a2 gives the suppressed sector a1");
        Assert.Empty(Recomputable(report, council));
    }

    [Fact]
    public void Communes_and_sectors_publish_what_is_safe()
    {
        var council = Intercommunal(("nord", "Valence"), ("sud", "Bourg"), ("est", "Bourg"));
        var report = Statistics.WithCommunes(Facts(("nord", 12), ("sud", 3), ("est", 7)), council, From, To);
        var communes = report.Communes!.Cells.ToDictionary(c => c.Code);
        Assert.Equal((10, 12), (communes["Bourg"].Count, communes["Valence"].Count));
        Assert.Equal(22, report.Communes.Total);
        var sectors = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells.ToDictionary(c => c.Code);
        Assert.Equal(12, sectors["nord"].Count);
        Assert.True(sectors["sud"].Suppressed && sectors["est"].Suppressed);
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 60)];

    [Theory, MemberData(nameof(Seeds))]
    public void No_commune_or_sector_count_is_small_or_recomputable_from_the_other_table(int seed)
    {
        var random = new Random(seed);
        var communes = new[] { "Alpha", "Beta", "Gamma" }.Take(random.Next(2, 4)).ToArray();
        var sectors = Enumerable.Range(0, random.Next(3, 7))
            .Select(i => ($"s{i}", random.Next(8) == 0 ? null : communes[random.Next(communes.Length)])).ToArray();
        var council = Intercommunal([.. sectors.Select(s => (s.Item1, (string?)s.Item2))]);
        var facts = Facts([.. sectors.Select(s => (s.Item1, random.Next(6) == 0 ? 0 : random.Next(1, 16)))]);
        var report = Statistics.WithCommunes(facts, council, From, To);
        var context = $"seed {seed}: {string.Join(", ", sectors.Select(s => $"{s.Item1}@{s.Item2}={facts.Count(f => f.Sector == s.Item1)}"))}";

        Assert.NotNull(report.Communes);
        foreach (var cell in report.Communes.Cells.Concat(report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells))
        {
            Assert.Equal(cell.Suppressed, cell.Count is null);
            Assert.False(cell.Count is > 0 and < Threshold, $"{cell.Code} = {cell.Count} published: {context}");
        }
        // Within a published commune, its suppressed sectors are at least two and hold together at least the threshold.
        var sectorCells = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells;
        foreach (var commune in report.Communes.Cells.Where(c => !c.Suppressed))
        {
            var hidden = sectorCells.Where(c => c.Suppressed && CommuneBreakdown.CommuneOf(council, c.Code) == commune.Code)
                .Select(c => facts.Count(f => f.Sector == c.Code)).ToList();
            if (hidden.Any(h => h > 0)) Assert.True(hidden.Count >= 2 && hidden.Sum() >= Threshold, $"commune {commune.Code}: {context}");
        }
        Assert.Empty(Recomputable(report, council));
    }

    [Fact]
    public void A_commune_is_a_name_not_blank_and_not_too_long()
    {
        Assert.Empty(Pure.Fields(AddSectorUseCase.CheckCommune("Bourg-lès-Valence", required: true)));
        Assert.Empty(Pure.Fields(AddSectorUseCase.CheckCommune(null, required: false)));
        Assert.Equal(["commune"], Pure.Fields(AddSectorUseCase.CheckCommune("   ", required: false)).Keys);
        Assert.Equal(["commune"], Pure.Fields(AddSectorUseCase.CheckCommune(null, required: true)).Keys);
        Assert.Equal(["commune"], Pure.Fields(AddSectorUseCase.CheckCommune(new string('x', AddSectorUseCase.MaxCommuneLength + 1), required: true)).Keys);
    }

    /// <summary>
    /// The attacker's algebra, independently of the service's: unknowns are the suppressed sectors and communes; equations
    /// are the total (sum of the sectors), each commune (sum of its sectors) and the sector table, with published values
    /// moved to the known side. A suppressed cell whose unit vector lies in the row space is recomputable.
    /// </summary>
    internal static IReadOnlyList<string> Recomputable(StatisticsReport report, Council council)
    {
        var sectors = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells;
        var communes = report.Communes!.Cells;
        var unknowns = new List<string>();
        var index = new Dictionary<string, int>();
        foreach (var c in sectors.Where(c => c.Suppressed)) { index[$"s/{c.Code}"] = unknowns.Count; unknowns.Add($"s/{c.Code}"); }
        foreach (var c in communes.Where(c => c.Suppressed)) { index[$"c/{c.Code}"] = unknowns.Count; unknowns.Add($"c/{c.Code}"); }
        if (report.SituationsSuppressed) { index["total"] = unknowns.Count; unknowns.Add("total"); }

        var equations = new List<Dictionary<int, double>>();
        // total = Σ sectors
        var sum = sectors.Where(c => c.Suppressed).ToDictionary(c => index[$"s/{c.Code}"], _ => 1.0);
        if (report.SituationsSuppressed) sum[index["total"]] = -1;
        if (sum.Count > 0) equations.Add(sum);
        // commune = Σ its sectors
        foreach (var commune in communes)
        {
            var equation = sectors.Where(c => c.Suppressed && CommuneBreakdown.CommuneOf(council, c.Code) == commune.Code)
                .ToDictionary(c => index[$"s/{c.Code}"], _ => 1.0);
            if (commune.Suppressed) equation[index[$"c/{commune.Code}"]] = -1;
            if (equation.Count > 0) equations.Add(equation);
        }
        return [.. DisclosureAttack.Determined(unknowns.Count, equations).Select(i => unknowns[i])];
    }
}
