using CaseExchange.Statistics;

namespace CaseExchange.Tests.Statistics.Reports;

/// <summary>
/// The test's own attacker, written apart from the service's check: every published figure of every report, plus what
/// everyone knows of the tables' structure, as a system of linear equations over the unpublished counts (per month, per
/// category, and for the outcomes and delays per end of period as well). A count is recomputable when its form follows
/// from the system: we add an unknown t = form and ask whether t is determined (its unit vector lies in the row space,
/// by reduced row echelon form — <see cref="DisclosureAttack.Determined"/>).
/// </summary>
internal static class PublishedSystemOracle
{
    private static readonly string[] Partitions = [StatisticsTables.Sectors, StatisticsTables.Outcomes, StatisticsTables.Delays];
    private static readonly string[] AtEnd = [StatisticsTables.Outcomes, StatisticsTables.Delays];

    /// <summary>
    /// What the published reports give away: suppressed cells of any report, and small counts (1 to threshold − 1) of the
    /// given true reports (every fixed period), whose forms follow from the published figures.
    /// </summary>
    public static IReadOnlyList<string> Recomputable(IReadOnlyList<StatisticsReport> published, IReadOnlyList<StatisticsReport> truth, int threshold)
    {
        var unknowns = new Dictionary<string, int>();
        int U(string key) => unknowns.TryGetValue(key, out var i) ? i : unknowns[key] = unknowns.Count;
        static IEnumerable<string> MonthsOf(StatisticsReport r)
        {
            for (var m = r.From; m <= r.To; m = m.AddMonths(1)) yield return $"{m:yyyy-MM}";
        }
        Dictionary<int, double> Form(StatisticsReport r, string table, string? cell)
        {
            if (table == StatisticsTables.Months) return new() { [U("n " + cell)] = 1 };
            return MonthsOf(r).ToDictionary(m => U(cell is null ? "n " + m : AtEnd.Contains(table) ? $"{table} {cell} {m} @{r.To}" : $"{table} {cell} {m}"), _ => 1.0);
        }

        var equations = new List<Dictionary<int, double>>();
        var everything = published.Concat(truth).ToList();
        var categories = Partitions.ToDictionary(t => t, t => everything.SelectMany(r => r.Tables).Where(x => x.Code == t).SelectMany(x => x.Cells).Select(c => c.Code).Distinct().ToList());
        foreach (var r in everything)
        foreach (var m in MonthsOf(r))
        foreach (var table in Partitions)
        {
            var sum = new Dictionary<int, double> { [U("n " + m)] = -1 };
            foreach (var c in categories[table])
                sum[U(AtEnd.Contains(table) ? $"{table} {c} {m} @{r.To}" : $"{table} {c} {m}")] = 1;
            equations.Add(sum);
        }
        foreach (var r in published)
        {
            if (r.Situations is not null) equations.Add(Form(r, "total", null));
            foreach (var t in r.Tables)
            foreach (var c in t.Cells.Where(c => c.Count is not null))
                equations.Add(Form(r, t.Code, c.Code));
        }

        var targets = new List<(string Name, Dictionary<int, double> Form)>();
        foreach (var r in published)
        {
            if (r.Situations is null) targets.Add(($"{r.From}..{r.To} total (suppressed)", Form(r, "total", null)));
            foreach (var t in r.Tables)
            foreach (var c in t.Cells.Where(c => c.Suppressed))
                targets.Add(($"{r.From}..{r.To} {t.Code}/{c.Code} (suppressed)", Form(r, t.Code, c.Code)));
        }
        foreach (var r in truth)
        {
            if (r.Situations is > 0 and var n && n < threshold) targets.Add(($"{r.From}..{r.To} total = {n}", Form(r, "total", null)));
            foreach (var t in r.Tables)
            foreach (var c in t.Cells.Where(c => c.Count > 0 && c.Count < threshold))
                targets.Add(($"{r.From}..{r.To} {t.Code}/{c.Code} = {c.Count}", Form(r, t.Code, c.Code)));
        }
        var firstTarget = unknowns.Count;
        for (var i = 0; i < targets.Count; i++)
        {
            var row = targets[i].Form.ToDictionary(e => e.Key, e => -e.Value);
            row[firstTarget + i] = 1;
            equations.Add(row);
        }
        return [.. DisclosureAttack.Determined(firstTarget + targets.Count, equations).Where(i => i >= firstTarget).Select(i => targets[i - firstTarget].Name).Distinct()];
    }
}
