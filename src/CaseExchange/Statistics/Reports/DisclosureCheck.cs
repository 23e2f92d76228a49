namespace CaseExchange.Statistics.Reports;

/// <summary>A count someone holding every published report can recompute: a suppressed cell, or a small count of a fixed period.</summary>
public sealed record Disclosure(DateOnly From, DateOnly To, string Table, string Cell, bool Suppressed)
{
    public override string ToString() => $"{From:yyyy-MM-dd}…{To:yyyy-MM-dd} {Table}/{Cell}{(Suppressed ? " (occultée)" : " (petit effectif)")}";
}

/// <summary>
/// What every published report, taken together, gives away: the honest attacker's linear algebra.
/// <para>
/// The unknowns are the counts nobody publishes directly: for each month m, the number of situations referred n[m]; for
/// the reasons and sectors, the count of category c among month m's referrals; for the outcomes and the delays, which
/// are read as they stood at a report's end e, the count of category c among month m's referrals as of e. A published
/// cell of a report over the months M ending at e is the form Σ_{m∈M} unknown(c, m[, e]); the month table's cells are
/// n[m]; the number of situations is Σ n[m]. Everyone also knows the structure: in a table that partitions the
/// situations, the categories of month m (as of e) add up to n[m]; a category a report does not list is zero there.
/// </para>
/// <para>
/// A count is recomputable when its form lies in the span of the published forms and the structure (exact rational
/// elimination, <see cref="LinearSpan"/>): then a linear combination of published figures — a year minus three of its
/// quarters, two overlapping periods, a table's total minus its cells — gives it exactly, whatever the other counts.
/// The counts that must not be recomputable: every suppressed cell of every report, and every count of a fixed period
/// (year, semester, quarter) between 1 and the threshold minus one, published or not (a difference of two reports is
/// such a period's count). A commune's cell (an intercommunal council) is the sum of its sectors' forms. Bounds reasoning (non-negativity, a small count lies below the threshold) is within one
/// table the business of <see cref="Suppression"/>; across reports only equalities are examined.
/// </para>
/// </summary>
public sealed class DisclosureCheck
{
    private static readonly HashSet<string> AsOfEnd = [StatisticsTables.Outcomes, StatisticsTables.Delays];
    private static readonly HashSet<string> Partitions = [StatisticsTables.Sectors, StatisticsTables.Outcomes, StatisticsTables.Delays];
    /// <summary>The number of situations of a report, as a table and cell name.</summary>
    public const string Total = "total";

    private readonly Dictionary<string, int> _unknowns = new(StringComparer.Ordinal);
    private readonly LinearSpan _structure = new();
    private readonly int _threshold;
    private readonly List<(Disclosure What, Dictionary<int, Rational> Form)> _smallCounts = [];
    private readonly IReadOnlyList<string> _sectorCodes;

    /// <param name="everyReport">Every report the check will see (published, candidate), to know the categories of each table.</param>
    /// <param name="fixedPeriods">The true counts of the fixed periods concerned (unsuppressed): their small counts must stay hidden.</param>
    /// <param name="threshold">The charter's minimum count (<c>statistics.minimumCount</c>).</param>
    public DisclosureCheck(IReadOnlyList<StatisticsReport> everyReport, IReadOnlyList<StatisticsReport> fixedPeriods, int threshold)
    {
        _threshold = threshold;
        var all = everyReport.Concat(fixedPeriods).ToList();
        var categories = all.SelectMany(r => r.Tables).Where(t => Partitions.Contains(t.Code))
            .GroupBy(t => t.Code).ToDictionary(g => g.Key, g => g.SelectMany(t => t.Cells.Select(c => c.Code)).Distinct().ToList());
        _sectorCodes = categories.GetValueOrDefault(StatisticsTables.Sectors) ?? [];
        // The structure: partition tables add up to the month's referrals, per month and (for end-of-period tables) per end.
        foreach (var report in all)
        foreach (var month in Months(report))
        foreach (var (table, codes) in categories)
        {
            var form = new Dictionary<int, Rational> { [Unknown($"n|{month}")] = new(-1) };
            foreach (var code in codes) form[Unknown(Key(table, code, month, report.To))] = new(1);
            _structure.Add(form);
        }
        // A category a report does not list was empty over its months.
        foreach (var report in all)
        foreach (var table in report.Tables.Where(t => Partitions.Contains(t.Code)))
        foreach (var missing in categories[table.Code].Except(table.Cells.Select(c => c.Code)))
            _structure.Add(FormOf(report, table.Code, missing));
        foreach (var period in fixedPeriods)
        {
            if (period.Situations is > 0 and var n && n < threshold)
                _smallCounts.Add((new Disclosure(period.From, period.To, Total, Total, false), FormOf(period, Total, Total)));
            foreach (var table in period.Tables)
            foreach (var cell in table.Cells.Where(c => c.Count > 0 && c.Count < threshold))
                _smallCounts.Add((new Disclosure(period.From, period.To, table.Code, cell.Code, false), FormOf(period, table.Code, cell.Code)));
        }
    }

    /// <summary>Every count the published reports give away (none, when publishing them is safe).</summary>
    public IReadOnlyList<Disclosure> Find(IReadOnlyList<StatisticsReport> published)
    {
        var span = Span(published);
        var found = new List<Disclosure>();
        foreach (var report in published)
        {
            if (report.SituationsSuppressed && span.Contains(FormOf(report, Total, Total)))
                found.Add(new Disclosure(report.From, report.To, Total, Total, true));
            foreach (var table in report.Tables)
            foreach (var cell in table.Cells.Where(c => c.Suppressed))
                if (span.Contains(FormOf(report, table.Code, cell.Code)))
                    found.Add(new Disclosure(report.From, report.To, table.Code, cell.Code, true));
        }
        found.AddRange(_smallCounts.Where(s => span.Contains(s.Form)).Select(s => s.What));
        return [.. found.Distinct()];
    }

    /// <summary>True when the cell of the report (<see cref="Total"/> for its number of situations) follows from the span.</summary>
    public bool Determined(LinearSpan span, StatisticsReport report, string table, string cell) => span.Contains(FormOf(report, table, cell));

    /// <summary>The structure and every published figure of the reports.</summary>
    public LinearSpan Span(IReadOnlyList<StatisticsReport> published)
    {
        var span = _structure.Clone();
        foreach (var report in published)
        {
            if (!report.SituationsSuppressed) span.Add(FormOf(report, Total, Total));
            foreach (var table in report.Tables)
            foreach (var cell in table.Cells.Where(c => !c.Suppressed))
                span.Add(FormOf(report, table.Code, cell.Code));
        }
        return span;
    }

    private Dictionary<int, Rational> FormOf(StatisticsReport report, string table, string cell)
    {
        if (table == StatisticsTables.Months) return new() { [Unknown($"n|{cell}")] = new(1) };
        if (table == CommuneBreakdown.Table)
        {
            // A commune's cell is the sum of its sectors' cells, by the commune each sector had when the report was published.
            var sum = new Dictionary<int, Rational>();
            foreach (var sector in _sectorCodes.Where(code => (report.SectorCommunes?.GetValueOrDefault(code) ?? CommuneBreakdown.Unassigned) == cell))
            foreach (var (unknown, coefficient) in FormOf(report, StatisticsTables.Sectors, sector))
                sum[unknown] = coefficient;
            return sum;
        }
        var form = new Dictionary<int, Rational>();
        foreach (var month in Months(report))
            form[Unknown(table == Total ? $"n|{month}" : Key(table, cell, month, report.To))] = new(1);
        return form;
    }

    private static string Key(string table, string cell, string month, DateOnly end) =>
        AsOfEnd.Contains(table) ? $"{table}|{cell}|{month}|{end:yyyy-MM-dd}" : $"{table}|{cell}|{month}";

    private static IEnumerable<string> Months(StatisticsReport report)
    {
        for (var month = new DateOnly(report.From.Year, report.From.Month, 1); month <= report.To; month = month.AddMonths(1))
            yield return FixedPeriod.Month(month);
    }

    private int Unknown(string key)
    {
        if (!_unknowns.TryGetValue(key, out var index)) _unknowns[key] = index = _unknowns.Count;
        return index;
    }

    public int Threshold => _threshold;
}
