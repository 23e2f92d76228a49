using System.Globalization;
using CaseExchange.Statistics.Reports;
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

    /// <summary>One commune of an intercommunal council (council-wide readers may choose; a maire always sees his own).</summary>
    [BindProperty(SupportsGet = true, Name = "commune")] public string? Commune { get; set; }

    /// <summary>The président and the coordonnateur read the whole council and its published reports; a maire, his commune only.</summary>
    public bool ReadsWholeCouncil => HasCouncilCapability(Charter.Capabilities.ReadStatistics);

    /// <summary>The fixed period to publish ("2026", "2026-S1", "2026-T3").</summary>
    [BindProperty(Name = "periode")] public string? Period { get; set; }

    /// <summary>The reports already published, the latest period first.</summary>
    public IReadOnlyList<PublishedReportView> Reports { get; private set; } = [];

    /// <summary>The fixed periods that have ended and are not published yet (the last three years).</summary>
    public IReadOnlyList<FixedPeriod> Publishable { get; private set; } = [];

    public async Task OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(Commune)) Commune = null;
        Actor.Require(Charter.AccessRules.ReadStatistics(Policy, Actor.Member, Commune));
        if (ReadsWholeCouncil) await LoadReportsAsync();
        var from = Month(FromMonth, "Du");
        var to = Month(ToMonth, "Au");
        if (!ModelState.IsValid)
        {
            // Nothing is computed for a period that could not be read; the refusal to read statistics still applies first.
            Actor.Require(Charter.AccessRules.ReadStatistics(Policy, Actor.Member, Commune));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Report = await QueryAsync(() => ReadStatisticsUseCase.HandleAsync(CouncilRequest, statistics, from, to?.AddMonths(1).AddDays(-1), Commune),
            mapField: field => field switch { "from" => "Du", "commune" => "Commune", _ => "Au" });
        if (Report is null) return;
        FromMonth = MonthValue(Report.From);
        ToMonth = MonthValue(Report.To);
    }

    /// <summary>Publishes the report of a fixed period (the use case the API calls), then shows the list.</summary>
    public async Task<IActionResult> OnPostPublishAsync() => await SubmitAsync(
        () => PublishPlenaryReportUseCase.HandleAsync(CouncilRequest, new PublishPlenaryReport(Period), statistics),
        published =>
        {
            Tell(published.SuppressedAcrossReports.Count == 0
                ? $"Le rapport « {published.Label} » est publié : ses chiffres sont désormais figés."
                : $"Le rapport « {published.Label} » est publié : ses chiffres sont désormais figés. {published.SuppressedAcrossReports.Count} case(s) " +
                  "y sont occultées en plus, pour qu'aucune différence avec les rapports déjà publiés ne retrouve une case occultée.");
            return Redirect(Href("statistiques") + "#rapports");
        },
        LoadReportsAsync, prefix: "", mapField: _ => "Periode");

    /// <summary>A published report as a file, served by the API's use case.</summary>
    public async Task<IActionResult> OnGetReportAsync(string? period, string? format) =>
        new EndpointResult(await DownloadPlenaryReportUseCase.HandleAsync(CouncilRequest, period ?? "", format ?? ""));

    public string ReportHref(string period, string format) => Href($"statistiques?handler=Report&period={period}&format={format}");

    private async Task LoadReportsAsync()
    {
        Reports = await ListPlenaryReportsUseCase.HandleAsync(CouncilRequest);
        var lastClosedDay = ReadStatisticsUseCase.LastClosedDay(Clock.GetUtcNow());
        var published = Reports.Select(r => r.Period).ToHashSet();
        Publishable = [.. Enumerable.Range(lastClosedDay.Year - 2, 3).Reverse().SelectMany(FixedPeriod.OfYear)
            .Where(p => p.To <= lastClosedDay && !published.Contains(p.Code)).OrderByDescending(p => p.To).ThenBy(p => p.From)];
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
