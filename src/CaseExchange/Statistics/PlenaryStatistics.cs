using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Seances;
using CaseExchange.Situations;
using Marten;

namespace CaseExchange.Statistics;

/// <summary>The non-nominative fields of one situation that statistics read: nothing else leaves the database.</summary>
public sealed class SituationFacts
{
    public List<string> Reasons { get; set; } = [];
    public string Sector { get; set; } = "";
    public DateTimeOffset ReferredAt { get; set; }
    public DateTimeOffset? FirstExaminedAt { get; set; }
    public string? Outcome { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>One cell, ready for a chart: a suppressed count is null and says so.</summary>
public sealed record StatisticsCell(string Code, string Label, int? Count, bool Suppressed);

/// <summary>A table of counts. <c>Total</c> is the number of situations when the cells partition them; null otherwise.</summary>
public sealed record StatisticsTable(string Code, string Title, string? Note, int? Total, IReadOnlyList<StatisticsCell> Cells);

public sealed record StatisticsReport(
    string Council, DateOnly From, DateOnly To, int Threshold, int? Situations, bool SituationsSuppressed,
    IReadOnlyList<StatisticsTable> Tables, int? MedianDaysToFirstExamination, bool MedianSuppressed, string Population, string Notice,
    StatisticsTable? Communes = null, string? Commune = null, IReadOnlyDictionary<string, string>? SectorCommunes = null)
{
    /// <summary>The tables as shown: the communes first (an intercommunal council), then the others.</summary>
    public IReadOnlyList<StatisticsTable> ShownTables() => Communes is null ? Tables : [Communes, .. Tables];
}

public static class StatisticsTables
{
    public const string Reasons = "motifs";
    public const string Sectors = "secteurs";
    public const string Months = "mois";
    public const string Outcomes = "issues";
    public const string Delays = "delais";

    public const string StillOpen = "en-cours";
    public const string NotYetExamined = "non-examinee";
}

/// <summary>
/// Plenary statistics per period (charter, article 10; règlement, article 17): situations referred during the period,
/// by reason, sector, month, outcome and delay from referral to first examination. Built from the Situation documents'
/// non-nominative fields only; every count below the charter's threshold is suppressed, with its complements.
/// </summary>
public sealed class PlenaryStatistics(CharterPolicy policy)
{
    /// <summary>The statistics under a council's own charter version (its threshold; its lists, with the entries it dropped still counted).</summary>
    public PlenaryStatistics For(CharterPolicy councilPolicy) => ReferenceEquals(councilPolicy, policy) ? this : new PlenaryStatistics(councilPolicy);

    public static readonly (string Code, string Label, int MaxDays)[] DelayBands =
    [
        ("moins-15-jours", "Moins de 15 jours", 14),
        ("15-30-jours", "De 15 à 30 jours", 30),
        ("1-3-mois", "De 1 à 3 mois", 91),
        ("plus-3-mois", "Plus de 3 mois", int.MaxValue),
    ];

    /// <summary>One query that reads only the fields above, for the situations referred in [from, to] (French calendar days).</summary>
    /// <para>
    /// An intercommunal council (sectors that name their commune) gets the table per commune, protected together with the
    /// sector table (<see cref="CommuneBreakdown"/>). With <paramref name="commune"/>, the report covers that commune's
    /// sectors only (the maire's figures): no row of another commune, the same suppression within it.
    /// </para>
    public async Task<StatisticsReport> ComputeAsync(IQuerySession session, Council council, DateOnly from, DateOnly to,
        CancellationToken cancellation = default, string? commune = null)
    {
        var facts = await LoadFactsAsync(session, from, to, cancellation);
        IReadOnlyList<SituationFacts> asOf = [.. facts.Select(f => AsOf(f, FrenchTime.StartOf(to.AddDays(1))))];
        return commune is null ? WithCommunes(asOf, council, from, to) : OfCommune(asOf, council, commune, from, to);
    }

    /// <summary>Pure: the council's report, with its commune table when its sectors name communes.</summary>
    public StatisticsReport WithCommunes(IReadOnlyList<SituationFacts> facts, Council council, DateOnly from, DateOnly to)
    {
        var report = Compute(facts, council, from, to);
        if (council.CommuneNames().Count == 0) return report;
        var truth = Compute(facts, council, from, to, suppress: false);
        return CommuneBreakdown.Add(report, council, [.. truth.Tables.First(t => t.Code == StatisticsTables.Sectors).Cells.Select(c => c.Count ?? 0)]);
    }

    /// <summary>Pure: the report of one commune: the situations of its sectors, its sectors' rows only.</summary>
    public StatisticsReport OfCommune(IReadOnlyList<SituationFacts> facts, Council council, string commune, DateOnly from, DateOnly to)
    {
        var sectors = council.Sectors.Where(s => s.Commune == commune).ToList();
        var codes = sectors.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var scoped = new Council { Code = council.Code, Name = $"{council.Name} — {commune}", Sectors = sectors };
        return Compute([.. facts.Where(f => codes.Contains(f.Sector))], scoped, from, to) with { Commune = commune };
    }

    /// <summary>The non-nominative fields of the situations referred in [from, to] (French calendar days), as they stand now.</summary>
    public static async Task<IReadOnlyList<SituationFacts>> LoadFactsAsync(IQuerySession session, DateOnly from, DateOnly to,
        CancellationToken cancellation = default)
    {
        var start = FrenchTime.StartOf(from);
        var end = FrenchTime.StartOf(to.AddDays(1));
        return await session.Query<Situation>()
            .Where(s => s.ReferredAt >= start && s.ReferredAt < end)
            .Select(s => new SituationFacts
            {
                Reasons = s.Reasons, Sector = s.Sector, ReferredAt = s.ReferredAt, FirstExaminedAt = s.FirstExaminedAt, Outcome = s.Outcome,
                ClosedAt = s.ClosedAt,
            })
            .ToListAsync(cancellation);
    }

    /// <summary>Pure: the report of [from, to] from facts of any span (filtered to the period and read as they stood at its end).</summary>
    public StatisticsReport ComputePeriod(IReadOnlyList<SituationFacts> facts, Council council, DateOnly from, DateOnly to, bool suppress = true)
    {
        var (start, end) = (FrenchTime.StartOf(from), FrenchTime.StartOf(to.AddDays(1)));
        return Compute([.. facts.Where(f => f.ReferredAt >= start && f.ReferredAt < end).Select(f => AsOf(f, end))], council, from, to, suppress);
    }

    /// <summary>
    /// Pure: a fixed period's plenary report, as <see cref="ComputePeriod"/>, and for an intercommunal council its table per
    /// commune among its tables (first), protected together with the sector table as in every other statistic
    /// (<see cref="CommuneBreakdown"/>), the commune of each sector frozen with it; with <paramref name="suppress"/> false, the true counts.
    /// </summary>
    public StatisticsReport ComputePeriodWithCommunes(IReadOnlyList<SituationFacts> facts, Council council, DateOnly from, DateOnly to, bool suppress = true)
    {
        var report = ComputePeriod(facts, council, from, to, suppress);
        if (council.CommuneNames().Count == 0) return report;
        var truth = suppress ? ComputePeriod(facts, council, from, to, suppress: false) : report;
        IReadOnlyList<int> trueSectors = [.. truth.Tables.First(t => t.Code == StatisticsTables.Sectors).Cells.Select(c => c.Count ?? 0)];
        return CommuneBreakdown.IntoTables(suppress ? CommuneBreakdown.Add(report, council, trueSectors) : CommuneBreakdown.AddTrue(report, council, trueSectors), council);
    }

    /// <summary>
    /// A situation as it stood at the end of the period: an outcome or an examination that came later is not counted yet,
    /// so that the report of a closed period never changes, and two readings never single out one situation's later step.
    /// </summary>
    public static SituationFacts AsOf(SituationFacts facts, DateTimeOffset end) => new()
    {
        Reasons = facts.Reasons, Sector = facts.Sector, ReferredAt = facts.ReferredAt,
        FirstExaminedAt = facts.FirstExaminedAt < end ? facts.FirstExaminedAt : null,
        Outcome = facts.ClosedAt < end ? facts.Outcome : null,
        ClosedAt = facts.ClosedAt < end ? facts.ClosedAt : null,
    };

    /// <summary>Pure: the report of the given situations; with <paramref name="suppress"/> false, the true counts (never published: the cross-report check reads them).</summary>
    public StatisticsReport Compute(IReadOnlyList<SituationFacts> facts, Council council, DateOnly from, DateOnly to, bool suppress = true)
    {
        var threshold = policy.Statistics.MinimumCount;
        var total = facts.Count;
        var tooFew = suppress && total < threshold;

        StatisticsTable Table(string code, string title, string? note, bool partition, IEnumerable<(string Code, string Label, int Count)> rows)
        {
            var cells = rows.ToList();
            var suppressed = tooFew ? [.. cells.Select(_ => true)] : suppress ? Suppression.Protect([.. cells.Select(c => c.Count)], threshold) : new bool[cells.Count];
            return new StatisticsTable(code, title, note, partition && !tooFew ? total : null,
                [.. cells.Select((c, i) => new StatisticsCell(c.Code, c.Label, suppressed[i] ? null : c.Count, suppressed[i]))]);
        }

        var reasons = Table(StatisticsTables.Reasons, "Situations par motif de signalement",
            "Une situation peut relever de plusieurs motifs : la somme des cases dépasse le nombre de situations.", partition: false,
            policy.ReferralReasons.WithRetired().Select(r => (r.Code, r.Label, facts.Count(f => f.Reasons.Contains(r.Code)))));

        var sectors = council.Sectors.Select(s => (s.Code, s.Label))
            .Concat(facts.Select(f => f.Sector).Distinct().Where(code => !council.HasSector(code)).Order(StringComparer.Ordinal).Select(code => (code, code)));
        var bySector = Table(StatisticsTables.Sectors, "Situations par secteur", null, partition: true,
            sectors.Select(s => (s.Item1, s.Item2, facts.Count(f => f.Sector == s.Item1))));

        var perMonth = facts.Select(f => FrenchTime.Local(f.ReferredAt)).CountBy(local => (local.Year, local.Month)).ToDictionary();
        var months = new List<(string, string, int)>();
        for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
            months.Add(($"{month.Year:D4}-{month.Month:D2}", FrenchTime.Month(month.Year, month.Month), perMonth.GetValueOrDefault((month.Year, month.Month))));
        var byMonth = Table(StatisticsTables.Months, "Situations par mois de signalement", null, partition: true, months);

        var byOutcome = Table(StatisticsTables.Outcomes, "Situations par issue", "Issue à la fin de la période.", partition: true,
            policy.Outcomes.WithRetired().Select(o => (o.Code, o.Label, facts.Count(f => f.Outcome == o.Code)))
                .Append((StatisticsTables.StillOpen, "Situation en cours", facts.Count(f => f.Outcome is null))));

        var delays = facts.Where(f => f.FirstExaminedAt is not null).Select(f => (int)(f.FirstExaminedAt!.Value - f.ReferredAt).TotalDays).Order().ToList();
        var byDelay = Table(StatisticsTables.Delays, "Délai entre le signalement et le premier examen", null, partition: true,
            DelayBands.Select((b, i) => (b.Code, b.Label, delays.Count(d => d <= b.MaxDays && (i == 0 || d > DelayBands[i - 1].MaxDays))))
                .Append((StatisticsTables.NotYetExamined, "Pas encore examinée", total - delays.Count)));

        var medianPublished = !tooFew && (delays.Count >= threshold || !suppress) && delays.Count > 0;
        int? median = medianPublished ? (int)Math.Round(delays.Count % 2 == 1 ? delays[delays.Count / 2] : (delays[delays.Count / 2 - 1] + delays[delays.Count / 2]) / 2.0) : null;

        return new StatisticsReport(council.Name, from, to, threshold, tooFew ? null : total, tooFew,
            [reasons, bySector, byMonth, byOutcome, byDelay], median, !medianPublished,
            "Situations signalées pendant la période (date du signalement, heure de Paris).",
            $"Statistiques anonymisées : tout effectif inférieur à {threshold} est occulté, ainsi que les cases qui permettraient " +
            "de le reconstituer par différence avec les totaux (charte, article 10).");
    }
}
