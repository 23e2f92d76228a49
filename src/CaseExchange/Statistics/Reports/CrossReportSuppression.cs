namespace CaseExchange.Statistics.Reports;

/// <summary>
/// Complementary suppression across reports. A new report, already protected on its own (<see cref="Suppression"/>), is
/// checked together with every report already published (<see cref="DisclosureCheck"/>); while something would be
/// recomputable, one more of its published cells is suppressed — the smallest whose suppression makes fewer counts recomputable
/// (or, if none does alone, the one that leaves the fewest) — and, last of all, its number of situations. The published reports are never touched: their figures are
/// frozen. At worst everything in the new report is suppressed, which adds no equation to what is already published.
/// </summary>
public static class CrossReportSuppression
{
    /// <summary>The report as it may be published, and the cells suppressed because of the reports already published.</summary>
    /// <param name="candidate">The new report, protected on its own.</param>
    /// <param name="trueCounts">The same report with its true counts (for the cells already known, see below).</param>
    /// <param name="published">Every report already published, as published.</param>
    /// <param name="check">The check over all of them.</param>
    public static (StatisticsReport Report, IReadOnlyList<string> SuppressedAcrossReports) Protect(
        StatisticsReport candidate, StatisticsReport trueCounts, IReadOnlyList<StatisticsReport> published, DisclosureCheck check)
    {
        // A cell the reports already published determine (a month's count published by the semester, a half-year that is
        // the year minus the other half) is public already: hiding it again protects nothing, and would let it be taken
        // for a protection. It is published, unless it is a small count (which the earlier checks make impossible).
        var known = check.Span(published);
        var report = Reveal(candidate, trueCounts, known, check);
        var added = new List<string>();
        var leaks = check.Find([.. published, report]).Count;
        while (leaks > 0)
        {
            var options = Options(report).Where(o => !IsKnown(o.Cell, report, known, check)).ToList();
            if (options.Count == 0) break;
            (StatisticsReport Report, string Cell, int Leaks)? best = null;
            foreach (var (cell, suppressed) in options)
            {
                var remaining = check.Find([.. published, suppressed]).Count;
                if (best is null || remaining < best.Value.Leaks) best = (suppressed, cell, remaining);
                if (remaining < leaks) break;
            }
            (report, var code, leaks) = best!.Value;
            added.Add(code);
        }
        return (report, added);
    }

    /// <summary>The report with one more cell suppressed, for each published cell, smallest first; then without its total.</summary>
    private static IEnumerable<(string Cell, StatisticsReport Report)> Options(StatisticsReport report)
    {
        var cells = report.Tables.SelectMany((t, i) => t.Cells.Select((c, j) => (Table: i, Cell: j, Code: $"{t.Code}/{c.Code}", c.Count)))
            .Where(c => c.Count is not null).OrderBy(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal);
        foreach (var c in cells) yield return (c.Code, Suppress(report, c.Table, c.Cell));
        if (!report.SituationsSuppressed)
            yield return ("total", report with
            {
                Situations = null, SituationsSuppressed = true, MedianDaysToFirstExamination = null, MedianSuppressed = true,
                Tables = [.. report.Tables.Select(t => t with { Total = null })],
            });
    }

    private static bool IsKnown(string cell, StatisticsReport report, LinearSpan known, DisclosureCheck check)
    {
        var parts = cell.Split('/', 2);
        return parts.Length == 2 ? check.Determined(known, report, parts[0], parts[1]) : check.Determined(known, report, DisclosureCheck.Total, DisclosureCheck.Total);
    }

    private static StatisticsReport Reveal(StatisticsReport report, StatisticsReport trueCounts, LinearSpan known, DisclosureCheck check)
    {
        bool Publishable(int count) => count == 0 || count >= report.Threshold;
        var revealTotal = report.SituationsSuppressed && trueCounts.Situations is { } n && Publishable(n)
                          && check.Determined(known, report, DisclosureCheck.Total, DisclosureCheck.Total);
        return report with
        {
            Situations = revealTotal ? trueCounts.Situations : report.Situations,
            SituationsSuppressed = report.SituationsSuppressed && !revealTotal,
            Tables = [.. report.Tables.Select((t, i) => t with
            {
                Total = revealTotal && trueCounts.Tables[i].Total is not null ? trueCounts.Situations : t.Total,
                Cells = [.. t.Cells.Select((c, j) => c.Suppressed && trueCounts.Tables[i].Cells[j].Count is { } count && Publishable(count)
                                                     && check.Determined(known, report, t.Code, c.Code)
                    ? c with { Count = count, Suppressed = false }
                    : c)],
            })],
        };
    }

    private static StatisticsReport Suppress(StatisticsReport report, int table, int cell) => report with
    {
        Tables = [.. report.Tables.Select((t, i) => i != table ? t : t with
        {
            Cells = [.. t.Cells.Select((c, j) => j != cell ? c : c with { Count = null, Suppressed = true })],
        })],
    };
}
