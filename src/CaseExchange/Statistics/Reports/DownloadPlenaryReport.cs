using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Statistics.Reports;

/// <summary>One published report in the list: its period, when it was published, its downloads. Never a person's name.</summary>
public sealed record PublishedReportView(string Period, string Label, DateOnly From, DateOnly To, DateTimeOffset PublishedAt,
    IReadOnlyList<string> SuppressedAcrossReports, IReadOnlyDictionary<string, string> Downloads);

public static class PlenaryReportEndpoints
{
    [WolverineGet("/api/councils/{council}/statistics/reports", Summary = "Les rapports pléniers publiés"), Tags("Statistiques")]
    public static Task<IReadOnlyList<PublishedReportView>> List(CouncilRequest request) => ListPlenaryReportsUseCase.HandleAsync(request);

    [WolverineGet("/api/councils/{council}/statistics/reports/{period}/{format}", Summary = "Télécharger un rapport plénier publié (docx, ods ou csv)"), Tags("Statistiques")]
    public static Task<IResult> Download(string period, string format, CouncilRequest request) =>
        DownloadPlenaryReportUseCase.HandleAsync(request, period, format);
}

public static class ListPlenaryReportsUseCase
{
    public static async Task<IReadOnlyList<PublishedReportView>> HandleAsync(CouncilRequest request)
    {
        var reports = await LoadAsync(request);
        return [.. reports.Reports.OrderByDescending(r => r.Report.To).ThenBy(r => r.Report.From).Select(r => new PublishedReportView(
            r.Period, r.Label, r.Report.From, r.Report.To, r.PublishedAt, r.SuppressedAcrossReports, ReportLinks.Of(request.Council, r.Period)))];
    }

    /// <summary>The council's published reports, for whoever reads the statistics.</summary>
    internal static async Task<PlenaryReports> LoadAsync(CouncilRequest request)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ReadStatistics);
        return await request.Session.LoadAsync<PlenaryReports>(PlenaryReports.StreamId, request.Cancellation) ?? new PlenaryReports();
    }
}

/// <summary>A published report as a file, from its frozen figures: the same cells at every download.</summary>
public static class DownloadPlenaryReportUseCase
{
    public static async Task<IResult> HandleAsync(CouncilRequest request, string period, string format)
    {
        var reports = await ListPlenaryReportsUseCase.LoadAsync(request);
        if (!ReportFormats.All.Contains(format))
            throw Problems.NotFound("Format inconnu : les rapports sont disponibles en docx, ods et csv.");
        var report = reports.Of(period) ?? throw Problems.NotFound("Aucun rapport n'est publié pour cette période.");
        return new ReportDownload(ReportFormats.Render(report, format));
    }

    private sealed class ReportDownload(ReportFile file) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(file.Bytes, file.ContentType, file.FileName).ExecuteAsync(http);
        }
    }
}
