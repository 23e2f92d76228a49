namespace CaseExchange.Statistics.Reports;

/// <summary>
/// A plenary report was published for a fixed period: its figures as published (suppressed cells without their count),
/// frozen from now on, and the cells suppressed because of the reports published before it.
/// </summary>
public sealed record PlenaryReportPublished(
    Guid ReportId, string Period, StatisticsReport Report, IReadOnlyList<string> SuppressedAcrossReports, Guid PublishedBy, DateTimeOffset At);

/// <summary>One published report, as frozen at its publication.</summary>
public sealed record PublishedReport(
    Guid Id, string Period, StatisticsReport Report, IReadOnlyList<string> SuppressedAcrossReports, Guid PublishedBy, DateTimeOffset PublishedAt)
{
    public string Label => FixedPeriod.Parse(Period)?.Label ?? Period;
}

/// <summary>
/// The council's published plenary reports: one stream per council under a well-known id, so that two publications at
/// once cannot both be checked against the same past (the second commit fails and is retried by its author).
/// </summary>
public sealed class PlenaryReports
{
    public static readonly Guid StreamId = new("c0a5e000-0000-4000-8000-00000000a7a5");

    public Guid Id { get; set; }
    public int Version { get; set; }
    public List<PublishedReport> Reports { get; set; } = [];

    public PublishedReport? Of(string period) => Reports.FirstOrDefault(r => r.Period == period);

    public void Apply(PlenaryReportPublished e) =>
        Reports.Add(new PublishedReport(e.ReportId, e.Period, e.Report, e.SuppressedAcrossReports, e.PublishedBy, e.At));
}
