using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Statistics.Reports;

/// <summary>A fixed period: "2026" (year), "2026-S1" (semester), "2026-T3" (quarter).</summary>
public sealed record PublishPlenaryReport(string? Period);

public sealed record PlenaryReportPublishedResponse(
    Guid ReportId, string Period, string Label, IReadOnlyList<string> SuppressedAcrossReports, IReadOnlyDictionary<string, string> Downloads, string Url)
    : CreationResponse(Url);

public static class PublishPlenaryReportEndpoint
{
    [WolverinePost("/api/councils/{council}/statistics/reports", Summary = "Publier le rapport plénier d'une période fixe close"), Tags("Statistiques")]
    public static Task<PlenaryReportPublishedResponse> Post(PublishPlenaryReport command, CouncilRequest request, PlenaryStatistics statistics) =>
        PublishPlenaryReportUseCase.HandleAsync(request, command, statistics);
}

/// <summary>
/// Publishing the plenary report of a fixed period (year, semester, quarter) that has ended, for whoever reads the
/// statistics (the président, the coordonnateur): computed as the period stood at its end, protected on its own, then
/// against every report already published (<see cref="CrossReportSuppression"/>), and recorded with its figures, which
/// stay as published (a later change of the data never changes a published report).
/// </summary>
public static class PublishPlenaryReportUseCase
{
    public static async Task<PlenaryReportPublishedResponse> HandleAsync(CouncilRequest request, PublishPlenaryReport command, PlenaryStatistics statistics)
    {
        var actor = request.Actor;
        actor.RequireCouncilCapability(request.Policy, Capabilities.ReadStatistics);
        var lastClosedDay = ReadStatisticsUseCase.LastClosedDay(request.Now);
        Check(command, lastClosedDay).ThrowIfAny();
        var period = FixedPeriod.Parse(command.Period)!;

        var stream = await request.Session.Events.FetchForWriting<PlenaryReports>(PlenaryReports.StreamId, request.Cancellation);
        var reports = stream.Aggregate ?? new PlenaryReports();
        RequireNotPublished(reports, period);

        // The true counts of every closed fixed period of the years the reports cover: their small counts must stay hidden.
        var years = reports.Reports.Select(r => r.Report.From.Year).Append(period.Year).Distinct().Order().ToList();
        var facts = await PlenaryStatistics.LoadFactsAsync(request.Session, new DateOnly(years[0], 1, 1), new DateOnly(years[^1], 12, 31), request.Cancellation);
        var published = Decide(statistics.For(request.Policy), actor.Council, facts, reports, period, lastClosedDay, actor.Id, request.Now, request.Policy.Statistics.MinimumCount);
        stream.AppendOne(published);
        var view = ReportLinks.Of(request.Council, period.Code);
        return new PlenaryReportPublishedResponse(published.ReportId, period.Code, period.Label, published.SuppressedAcrossReports, view, view["docx"]);
    }

    /// <summary>A fixed period, well written, that has ended (the current one and future ones are never published).</summary>
    public static ValidationErrors Check(PublishPlenaryReport command, DateOnly lastClosedDay)
    {
        var errors = new ValidationErrors();
        var period = FixedPeriod.Parse(command.Period);
        if (period is null)
            return errors.Add("period", "Indiquez une période fixe : une année (2026), un semestre (2026-S1, 2026-S2) ou un trimestre (2026-T1 à 2026-T4).");
        return errors.When(period.To > lastClosedDay, "period",
            $"Seules les périodes écoulées sont publiées : {period.Label} n'est pas terminé(e) (la période en cours et les périodes à venir ne sont jamais publiées).");
    }

    /// <summary>Pure: the publication, protected on its own and against every report already published.</summary>
    public static PlenaryReportPublished Decide(PlenaryStatistics statistics, Council council, IReadOnlyList<SituationFacts> facts, PlenaryReports reports,
        FixedPeriod period, DateOnly lastClosedDay, Guid actorId, DateTimeOffset now, int threshold)
    {
        RequireNotPublished(reports, period);
        var candidate = statistics.ComputePeriodWithCommunes(facts, council, period.From, period.To);
        var years = reports.Reports.Select(r => r.Report.From.Year).Append(period.Year).Distinct();
        var truth = years.SelectMany(FixedPeriod.OfYear).Where(p => p.To <= lastClosedDay)
            .Select(p => statistics.ComputePeriodWithCommunes(facts, council, p.From, p.To, suppress: false)).ToList();
        var past = reports.Reports.Select(r => r.Report).ToList();
        var check = new DisclosureCheck([.. past, candidate], truth, threshold);
        var trueCounts = statistics.ComputePeriodWithCommunes(facts, council, period.From, period.To, suppress: false);
        var (report, added) = CrossReportSuppression.Protect(candidate, trueCounts, past, check);
        return new PlenaryReportPublished(Guid.NewGuid(), period.Code, report, added, actorId, now);
    }

    /// <summary>A published report is frozen: publishing its period again is refused (409), it is downloaded as it was.</summary>
    public static void RequireNotPublished(PlenaryReports reports, FixedPeriod period)
    {
        if (reports.Of(period.Code) is { } existing)
            throw Problems.OutOfOrder($"Le rapport « {period.Label} » est déjà publié (le {FrenchTime.Day(existing.PublishedAt)}) : ses chiffres sont figés, " +
                                      "téléchargez-le dans la liste des rapports publiés.");
    }
}

/// <summary>The download addresses of a published report, one per format.</summary>
public static class ReportLinks
{
    public static IReadOnlyDictionary<string, string> Of(string council, string period) =>
        ReportFormats.All.ToDictionary(f => f, f => $"/api/councils/{council}/statistics/reports/{period}/{f}");
}
