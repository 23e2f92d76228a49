using System.Globalization;
using System.Text;

namespace CaseExchange.Benchmarks.Figures;

/// <summary>
/// The growth table: each cost at each size, its growth per 10 × data between consecutive sizes, the goal and whether it
/// is met. Per-request costs that do not depend on the council's size: ≤ 1.2 × per 10 ×. Whole-history operations:
/// linear (≤ 10 × per 10 ×, with 20 % for noise: ≤ 12 ×), and bounded memory (≤ 1.2 × per 10 ×).
/// </summary>
public static class GrowthTable
{
    private enum Goal { Flat, Linear }

    /// <param name="Journal">Growth measured against the journal's size rather than the council's situations.</param>
    private sealed record Row(string Label, Goal Goal, Func<GrowthSizeResult, double?> Value, string Unit, bool Journal = false);

    private static double? Cost(GrowthSizeResult r, string key, bool p95 = false) =>
        r.Costs.TryGetValue(key, out var c) ? p95 ? c.P95Ms : c.P50Ms : null;

    /// <summary>Managed memory in MB, at least 1 MB: below that the sampling and the GC's own movements decide.</summary>
    private static double? Mb(GrowthSizeResult r, string key) => r.Memory.TryGetValue(key, out var bytes) ? Math.Max(1, bytes / 1e6) : null;

    private static readonly Row[] Rows =
    [
        new("Anonymised list, API (page of 50, coordonnateur), p50", Goal.Flat, r => Cost(r, "list-api"), "ms"),
        new("— p95", Goal.Flat, r => Cost(r, "list-api", true), "ms"),
        new("Anonymised list, Razor page (200 rows), p50", Goal.Flat, r => Cost(r, "list-page"), "ms"),
        new("— p95", Goal.Flat, r => Cost(r, "list-page", true), "ms"),
        new("Situation page (Razor), p50", Goal.Flat, r => Cost(r, "situation-page"), "ms"),
        new("— p95", Goal.Flat, r => Cost(r, "situation-page", true), "ms"),
        new("Full-file opening (API, journalled), p50", Goal.Flat, r => Cost(r, "opening"), "ms"),
        new("— p95", Goal.Flat, r => Cost(r, "opening", true), "ms"),
        new("CR of a séance of 40 situations (API, new version), p50", Goal.Flat, r => Cost(r, "compte-rendu"), "ms"),
        new("Right-of-access search (identity index, 1 match, journalled), p50", Goal.Flat, r => Cost(r, "access-search"), "ms"),
        new("— p95", Goal.Flat, r => Cost(r, "access-search", true), "ms"),
        new("Journal, API (last 50 entries, replayed), p50", Goal.Flat, r => Cost(r, "journal-api"), "ms", true),
        new("Journal, Razor page, p50", Goal.Flat, r => Cost(r, "journal-page"), "ms", true),
        new("Journal CSV export of 1,000 entries, p50", Goal.Flat, r => Cost(r, "journal-csv"), "ms", true),
        new("Journal verification, per entry (API, seal + verify)", Goal.Flat, r => Cost(r, "journal-verification") is { } ms ? ms * 1000 / r.JournalEntries : null, "µs", true),
        new("Service restart to the first served request (any restart after the first)", Goal.Flat, r => Cost(r, "restart"), "ms"),
        new("— the first restart after the council was loaded (one-time identity-index back-fill check)", Goal.Linear, r => Cost(r, "restart-first"), "ms"),
        new("Statistics of a year (the year holds half the council)", Goal.Linear, r => Cost(r, "statistics-year"), "ms"),
        new("Journal verification, whole journal", Goal.Linear, r => Cost(r, "journal-verification"), "ms", true),
        new("Retention sweep, first after a start (decrypts birth dates), time", Goal.Linear, r => Cost(r, "sweep-cold"), "ms"),
        new("Retention sweep, next ones, time", Goal.Linear, r => Cost(r, "sweep-warm"), "ms"),
        new("— first sweep: live managed memory peak above its level before (full GC every 100 ms)", Goal.Flat, r => Mb(r, "sweep-cold-peak"), "MB"),
        new("— first sweep: managed memory still held after it", Goal.Flat, r => Mb(r, "sweep-cold-retained"), "MB"),
        new("— next sweeps: live managed memory peak", Goal.Flat, r => Mb(r, "sweep-warm-peak"), "MB"),
    ];

    public static string Markdown(IReadOnlyList<GrowthSizeResult> sizes)
    {
        var b = new StringBuilder();
        b.Append("| Cost |");
        foreach (var s in sizes) b.Append(CultureInfo.InvariantCulture, $" {Label(s)} |");
        b.AppendLine(" Growth per 10 × data | Goal | Met? |");
        b.Append("|---|");
        foreach (var _ in sizes) b.Append("---:|");
        b.AppendLine("---:|---|---|");
        foreach (var row in Rows)
        {
            var values = sizes.Select(row.Value).ToList();
            b.Append(CultureInfo.InvariantCulture, $"| {row.Label} |");
            foreach (var v in values) b.Append(CultureInfo.InvariantCulture, $" {(v is { } x ? Format(x, row.Unit) : "—")} |");
            var steps = new List<double>();
            for (var i = 1; i < sizes.Count; i++)
            {
                if (values[i - 1] is not { } a || values[i] is not { } c || a <= 0 || c <= 0) continue;
                // Growth per 10 × data (situations, or journal entries for the journal's rows), whatever the step between the sizes.
                var step = row.Journal ? (double)sizes[i].JournalEntries / sizes[i - 1].JournalEntries : (double)sizes[i].Situations / sizes[i - 1].Situations;
                if (step < 1.5) continue;
                var perTen = Math.Pow(c / a, 1 / Math.Log10(step));
                steps.Add(perTen);
            }
            var limit = row.Goal == Goal.Flat ? 1.2 : 12.0;
            var goal = row.Goal == Goal.Flat ? "≤ 1.2 ×" : "linear (≤ 10 ×, +20 % noise)";
            var met = steps.Count == 0 ? "—" : steps.Max() <= limit ? "yes" : "**no**";
            b.AppendLine(CultureInfo.InvariantCulture,
                $" {(steps.Count == 0 ? "—" : string.Join(" / ", steps.Select(s => s.ToString(s < 10 ? "F2" : "F0", CultureInfo.InvariantCulture) + " ×")))} | {goal} | {met} |");
        }
        return b.ToString();
    }

    private static string Label(GrowthSizeResult s) =>
        $"{Short(s.Situations)} situations, {Short(s.JournalEntries)} journal entries";

    private static string Short(long n) => n >= 1_000_000 ? $"{n / 1_000_000.0:0.#} M" : n >= 1_000 ? $"{n / 1_000.0:0.#} k" : $"{n}";

    private static string Format(double value, string unit) => unit switch
    {
        "ms" when value >= 10_000 => (value / 1000).ToString("F1", CultureInfo.InvariantCulture) + " s",
        "ms" => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms",
        _ => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " " + unit,
    };
}
