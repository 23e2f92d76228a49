using CaseExchange.Councils;
using CaseExchange.Statistics.Reports;

namespace CaseExchange.Statistics;

/// <summary>
/// Statistics per commune of an intercommunal council (a CISPD): each commune's count is the sum of its sectors' counts, so
/// the commune table and the sector table are protected together. Within each table, <see cref="Suppression"/> as
/// everywhere; across them, no suppressed cell may follow from the published ones (a commune minus its published sectors
/// gives their suppressed sector; the sum of a commune's published sectors gives the commune), checked exactly with
/// <see cref="LinearSpan"/>, and within a published commune its sectors are a line of their own (a commune's count is its
/// sectors' total). While something would be recomputable, one more cell is suppressed.
/// </summary>
public static class CommuneBreakdown
{
    public const string Table = "communes";
    public const string Unassigned = "commune-non-precisee";
    public const string UnassignedLabel = "Commune non précisée";

    /// <summary>The commune of each row of the sector table (its code), or <see cref="Unassigned"/>.</summary>
    public static string CommuneOf(Council council, string sectorCode) =>
        council.Sectors.FirstOrDefault(s => s.Code == sectorCode)?.Commune ?? Unassigned;

    /// <summary>
    /// The report with its commune table, and its sector table suppressed further where the two together would give a cell
    /// away. <paramref name="trueSectors"/> are the true counts of the sector table's cells, in its order.
    /// </summary>
    public static StatisticsReport Add(StatisticsReport report, Council council, IReadOnlyList<int> trueSectors)
    {
        var sectorIndex = report.Tables.ToList().FindIndex(t => t.Code == StatisticsTables.Sectors);
        if (sectorIndex < 0) return report;
        var sectors = report.Tables[sectorIndex];
        var (communes, communeIndex, communeCounts) = Layout(council, sectors, trueSectors);

        bool[] sectorMask, communeMask;
        if (report.SituationsSuppressed)
        {
            (sectorMask, communeMask) = (Enumerable.Repeat(true, trueSectors.Count).ToArray(), Enumerable.Repeat(true, communes.Count).ToArray());
        }
        else
        {
            sectorMask = [.. sectors.Cells.Select(c => c.Suppressed)];
            communeMask = Suppression.Protect(communeCounts, report.Threshold);
            Protect(trueSectors, sectorMask, communeIndex, communeCounts, communeMask, report.Threshold);
        }

        var communeTable = TableOf(communes, communeCounts, communeMask, report.SituationsSuppressed ? null : report.Situations);
        var protectedSectors = sectors with
        {
            Cells = [.. sectors.Cells.Select((c, i) => sectorMask[i] ? c with { Count = null, Suppressed = true } : c)],
        };
        return report with
        {
            Tables = [.. report.Tables.Select((t, i) => i == sectorIndex ? protectedSectors : t)],
            Communes = communeTable,
        };
    }

    /// <summary>The report with its commune table at its true counts (never published: the cross-report check reads them).</summary>
    public static StatisticsReport AddTrue(StatisticsReport truth, Council council, IReadOnlyList<int> trueSectors)
    {
        var sectors = truth.Tables.FirstOrDefault(t => t.Code == StatisticsTables.Sectors);
        if (sectors is null) return truth;
        var (communes, _, communeCounts) = Layout(council, sectors, trueSectors);
        return truth with { Communes = TableOf(communes, communeCounts, new bool[communes.Count], truth.Situations) };
    }

    /// <summary>
    /// A fixed-period plenary report keeps its commune table among its tables, first: the cross-report check, its complementary
    /// suppression and every format then treat it as any other table. The commune of each sector is frozen with the report, so
    /// that the check reads a commune's cell as the sum of the sectors it had when published.
    /// </summary>
    public static StatisticsReport IntoTables(StatisticsReport report, Council council) => report.Communes is not { } communes ? report : report with
    {
        Tables = [communes, .. report.Tables],
        Communes = null,
        SectorCommunes = report.Tables.First(t => t.Code == StatisticsTables.Sectors).Cells
            .ToDictionary(c => c.Code, c => CommuneOf(council, c.Code), StringComparer.Ordinal),
    };

    private static (List<string> Communes, int[] CommuneIndex, int[] CommuneCounts) Layout(Council council, StatisticsTable sectors, IReadOnlyList<int> trueSectors)
    {
        var communeOf = sectors.Cells.Select(c => CommuneOf(council, c.Code)).ToArray();
        var communes = council.CommuneNames().Concat(communeOf.Contains(Unassigned) ? [Unassigned] : []).ToList();
        var communeIndex = communeOf.Select(c => communes.IndexOf(c)).ToArray();
        var communeCounts = communes.Select((_, k) => trueSectors.Where((_, i) => communeIndex[i] == k).Sum()).ToArray();
        return (communes, communeIndex, communeCounts);
    }

    private static StatisticsTable TableOf(IReadOnlyList<string> communes, IReadOnlyList<int> counts, bool[] mask, int? total) =>
        new(Table, "Situations par commune",
            "Commune du secteur de la situation. Chaque commune regroupe ses secteurs : les deux tableaux sont protégés ensemble.",
            total, [.. communes.Select((c, k) => new StatisticsCell(c, c == Unassigned ? UnassignedLabel : c, mask[k] ? null : counts[k], mask[k]))]);

    /// <summary>Pure: extends both masks until no suppressed cell of either table can be recomputed from the published ones.</summary>
    public static void Protect(IReadOnlyList<int> sectors, bool[] sectorMask, IReadOnlyList<int> communeOf, IReadOnlyList<int> communes, bool[] communeMask, int threshold)
    {
        for (var guard = 0; guard < sectors.Count + communes.Count + 2; guard++)
        {
            Reprotect(sectors, sectorMask, threshold);
            Reprotect(communes, communeMask, threshold);
            // Within a published commune, its sectors are a line whose total is known.
            var changed = false;
            for (var k = 0; k < communes.Count; k++)
            {
                if (communeMask[k]) continue;
                var members = Enumerable.Range(0, sectors.Count).Where(i => communeOf[i] == k).ToList();
                var sub = members.Select(i => sectors[i]).ToList();
                var subMask = members.Select(i => sectorMask[i]).ToArray();
                if (!subMask.Any(m => m) || Suppression.Protected(sub, subMask, threshold)) continue;
                var published = members.Where(i => !sectorMask[i]).OrderBy(i => sectors[i]).ToList();
                if (published.Count > 0) sectorMask[published[0]] = true;
                else communeMask[k] = true;
                changed = true;
            }
            if (changed) continue;

            var leak = Leak(sectors, sectorMask, communeOf, communes, communeMask);
            if (leak is null) return;
            // A suppressed sector given away: hide its commune's count. A suppressed commune given away: hide one more of its sectors.
            if (leak.Value.Sector is { } sector) communeMask[communeOf[sector]] = true;
            else
            {
                var k = leak.Value.Commune!.Value;
                var next = Enumerable.Range(0, sectors.Count).Where(i => communeOf[i] == k && !sectorMask[i]).OrderBy(i => sectors[i]).FirstOrDefault(-1);
                if (next < 0) next = Enumerable.Range(0, sectors.Count).Where(i => !sectorMask[i]).OrderBy(i => sectors[i]).FirstOrDefault(-1);
                if (next < 0) { Array.Fill(communeMask, true); return; }
                sectorMask[next] = true;
            }
        }
        // Could not settle (never expected): publish nothing of either table.
        Array.Fill(sectorMask, true);
        Array.Fill(communeMask, true);
    }

    /// <summary>The first suppressed cell that the published cells and the total determine exactly, if any.</summary>
    public static (int? Sector, int? Commune)? Leak(IReadOnlyList<int> sectors, bool[] sectorMask, IReadOnlyList<int> communeOf, IReadOnlyList<int> communes, bool[] communeMask)
    {
        Dictionary<int, Rational> SectorForm(int i) => new() { [i] = new(1) };
        Dictionary<int, Rational> CommuneForm(int k) =>
            Enumerable.Range(0, sectors.Count).Where(i => communeOf[i] == k).ToDictionary(i => i, _ => new Rational(1));
        var span = new LinearSpan();
        span.Add(Enumerable.Range(0, sectors.Count).ToDictionary(i => i, _ => new Rational(1)));
        for (var i = 0; i < sectors.Count; i++) if (!sectorMask[i]) span.Add(SectorForm(i));
        for (var k = 0; k < communes.Count; k++) if (!communeMask[k]) span.Add(CommuneForm(k));
        for (var i = 0; i < sectors.Count; i++) if (sectorMask[i] && span.Contains(SectorForm(i))) return (i, null);
        for (var k = 0; k < communes.Count; k++) if (communeMask[k] && span.Contains(CommuneForm(k))) return (null, k);
        return null;
    }

    /// <summary>A line with suppressed cells: its zeros hidden too, and complements added until <see cref="Suppression.Protected"/>.</summary>
    private static void Reprotect(IReadOnlyList<int> counts, bool[] mask, int threshold)
    {
        if (!mask.Any(m => m)) return;
        for (var i = 0; i < counts.Count; i++) if (counts[i] == 0) mask[i] = true;
        while (!Suppression.Protected(counts, mask, threshold))
        {
            var next = Enumerable.Range(0, counts.Count).Where(i => !mask[i]).OrderBy(i => counts[i]).FirstOrDefault(-1);
            if (next < 0) return;
            mask[next] = true;
        }
    }
}
