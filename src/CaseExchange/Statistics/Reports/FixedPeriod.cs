using System.Globalization;
using System.Text.RegularExpressions;

namespace CaseExchange.Statistics.Reports;

/// <summary>
/// A fixed reporting period: a calendar year ("2026"), a semester ("2026-S1", "2026-S2") or a quarter ("2026-T1" …
/// "2026-T4"). Reports are published for these periods only, so that two reports either nest along the calendar's own
/// grid or do not overlap at all; every difference between them is itself a union of fixed periods, which the
/// publication check examines (<see cref="DisclosureCheck"/>).
/// </summary>
public sealed partial record FixedPeriod(int Year, char Kind, int Index)
{
    public const char YearKind = 'A', SemesterKind = 'S', QuarterKind = 'T';

    public DateOnly From => new(Year, Kind switch { SemesterKind => 1 + (Index - 1) * 6, QuarterKind => 1 + (Index - 1) * 3, _ => 1 }, 1);

    public DateOnly To => From.AddMonths(Kind switch { SemesterKind => 6, QuarterKind => 3, _ => 12 }).AddDays(-1);

    public string Code => Kind switch
    {
        SemesterKind => $"{Year:D4}-S{Index}",
        QuarterKind => $"{Year:D4}-T{Index}",
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    public string Label => Kind switch
    {
        SemesterKind => $"{(Index == 1 ? "1er" : "2e")} semestre {Year}",
        QuarterKind => $"{(Index == 1 ? "1er" : $"{Index}e")} trimestre {Year}",
        _ => $"Année {Year}",
    };

    /// <summary>The months of the period, as "yyyy-MM".</summary>
    public IEnumerable<string> Months()
    {
        for (var month = From; month <= To; month = month.AddMonths(1)) yield return Month(month);
    }

    public static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public override string ToString() => Code;

    public static FixedPeriod? Parse(string? code)
    {
        if (code is null) return null;
        var match = Pattern().Match(code.Trim());
        if (!match.Success) return null;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (!match.Groups["kind"].Success) return new FixedPeriod(year, YearKind, 1);
        var kind = char.ToUpperInvariant(match.Groups["kind"].Value[0]);
        var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
        return (kind, index) switch
        {
            (SemesterKind, >= 1 and <= 2) or (QuarterKind, >= 1 and <= 4) => new FixedPeriod(year, kind, index),
            _ => null,
        };
    }

    /// <summary>Every fixed period of a year: the year, its two semesters and its four quarters.</summary>
    public static IEnumerable<FixedPeriod> OfYear(int year) =>
    [
        new(year, YearKind, 1), new(year, SemesterKind, 1), new(year, SemesterKind, 2),
        new(year, QuarterKind, 1), new(year, QuarterKind, 2), new(year, QuarterKind, 3), new(year, QuarterKind, 4),
    ];

    [GeneratedRegex(@"^(?<year>(19|20|21)\d\d)(-(?<kind>[STst])(?<index>\d))?$")]
    private static partial Regex Pattern();
}
