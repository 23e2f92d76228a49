using System.Globalization;
using CaseExchange.Web;
using CaseExchange.Web.Charts;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Statistics;

/// <summary>
/// Plenary statistics for the coordonnateur and the président: a period of whole months, the tables of the use case with
/// their suppressed cells, and a bar chart per table drawn on the server (SVG, no script).
/// </summary>
public sealed class StatistiquesModel(PlenaryStatistics statistics) : CouncilPageModel
{
    public const string Suppressed = "secret statistique";

    /// <summary>First month of the period, "yyyy-MM" (the value of an input of type month).</summary>
    [BindProperty(SupportsGet = true, Name = "du")] public string? FromMonth { get; set; }

    /// <summary>Last month of the period, included.</summary>
    [BindProperty(SupportsGet = true, Name = "au")] public string? ToMonth { get; set; }

    public StatisticsReport? Report { get; private set; }

    public async Task OnGetAsync()
    {
        var from = Month(FromMonth, "Du");
        var to = Month(ToMonth, "Au");
        if (!ModelState.IsValid)
        {
            // Nothing is computed for a period that could not be read; the refusal to read statistics still applies first.
            Actor.RequireCouncilCapability(Policy, Charter.Capabilities.ReadStatistics);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Report = await QueryAsync(() => ReadStatisticsUseCase.HandleAsync(CouncilRequest, statistics, from, to?.AddMonths(1).AddDays(-1)),
            mapField: field => field == "from" ? "Du" : "Au");
        if (Report is null) return;
        FromMonth = MonthValue(Report.From);
        ToMonth = MonthValue(Report.To);
    }

    public BarChart? ChartOf(StatisticsTable table) => BarChart.Of(table, Suppressed);

    public static string MonthValue(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private DateOnly? Month(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)) return month;
        ModelState.AddModelError(field, "Indiquez un mois sous la forme AAAA-MM (par exemple 2026-03).");
        return null;
    }
}
