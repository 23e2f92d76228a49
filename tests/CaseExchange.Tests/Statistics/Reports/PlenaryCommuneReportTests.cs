using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Statistics;
using CaseExchange.Statistics.Reports;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;

namespace CaseExchange.Tests.Statistics.Reports;

/// <summary>
/// An intercommunal council with situations in the last closed quarter: nord in Valence (12), sud (3) and est (7) in
/// Bourg-lès-Valence, ouest in Portes-lès-Valence (2, a small count for the sector and for its commune).
/// </summary>
public sealed class PlenaryCommuneReportsFixture : CouncilFixture
{
    protected override bool OwnHost => true;

    public const string Valence = "Valence", Bourg = "Bourg-lès-Valence", Portes = "Portes-lès-Valence";

    public List<TestPerson> Persons { get; } = [];

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        var api = Council.Api;
        await Answers.ExpectAsync(await service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{api}/sectors/nord/commune", new { commune = Valence }), 200);
        await Answers.ExpectAsync(await service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{api}/sectors/sud/commune", new { commune = Bourg }), 200);
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{api}/sectors", new { code = "est", label = "Quartier est", commune = Bourg });
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{api}/sectors", new { code = "ouest", label = "Quartier ouest", commune = Portes });
        var middle = PlenaryReportsFixture.LastQuarter.From.AddMonths(1).AddDays(14);
        var referrals = new[] { ("nord", 12), ("sud", 3), ("est", 7), ("ouest", 2) }.SelectMany(s => Enumerable.Range(0, s.Item2).Select(i =>
        {
            var person = TestPerson.Distinctive($"RapportCommune{s.Item1}{i}");
            Persons.Add(person);
            return (object)new
            {
                groupId = Council.GroupA, reasons = new[] { "errance" }, sector = s.Item1, urgency = "normale",
                persons = new[] { person.AsRequest("personne-suivie") }, facts = $"Faits FaitsSecretsAbc {person.Nom}",
            };
        })).ToList();
        await PastReferrals.ReferAsync(service, Council.MemberOfHoldingGroup, api, referrals,
            new DateTimeOffset(middle.Year, middle.Month, middle.Day, 12, 0, 0, TimeSpan.Zero));
    }
}

/// <summary>A fixed-period plenary report of an intercommunal council has its table per commune, under the same suppression.</summary>
public sealed class PlenaryCommuneReportTests(PlenaryCommuneReportsFixture fixture) : IClassFixture<PlenaryCommuneReportsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private const string Table = "Situations par commune";

    [Fact]
    public async Task The_published_report_counts_per_commune_hides_the_small_ones_and_its_docx_holds_no_identity()
    {
        var period = PlenaryReportsFixture.LastQuarter.Code;
        var reports = $"{Council.Api}/statistics/reports";
        await Service.PostJsonAsync<JsonElement>(Council.President, reports, new { period }, 201);

        var csv = Encoding.UTF8.GetString(await (await Service.GetAsync(Council.President, $"{reports}/{period}/csv")).Content.ReadAsByteArrayAsync(Cancel));
        Assert.Contains($"{Table};{PlenaryCommuneReportsFixture.Valence};12\r\n", csv);
        Assert.Contains($"{Table};{PlenaryCommuneReportsFixture.Portes};{ReportFormats.Suppressed}\r\n", csv);
        Assert.Contains($"{Table};{PlenaryCommuneReportsFixture.Bourg};", csv);
        Assert.Contains($"Situations par secteur;Quartier ouest;{ReportFormats.Suppressed}\r\n", csv);
        Assert.Contains($"Situations par secteur;Quartier sud;{ReportFormats.Suppressed}\r\n", csv);
        // No count from 1 to the threshold minus one, in any table.
        var counts = csv.Split("\r\n").Skip(2).Where(l => l.Length > 0).Select(l => l.Split(';')[^1]).ToList();
        Assert.All(counts.Where(c => c != ReportFormats.Suppressed), c => Assert.True(int.Parse(c) is 0 or >= 5, $"{c} is published"));

        var docx = await (await Service.GetAsync(Council.President, $"{reports}/{period}/docx")).Content.ReadAsByteArrayAsync(Cancel);
        DocxValidity.AssertValid(docx, "the plenary report per commune");
        using var archive = new ZipArchive(new MemoryStream(docx));
        using var reader = new StreamReader(archive.GetEntry("word/document.xml")!.Open());
        var text = Regex.Replace(await reader.ReadToEndAsync(Cancel), "<[^>]+>", " ");
        Assert.Contains(Table, text);
        Assert.Contains(PlenaryCommuneReportsFixture.Portes, text);
        Assert.Contains($"Graphique : {Table}", text);
        Leaks.AssertNone(text, [.. fixture.Persons.SelectMany(Leaks.Of), .. Leaks.Secrets], "the docx report per commune");
    }

    [Fact]
    public void The_cross_report_check_reads_a_commune_as_the_sum_of_its_sectors()
    {
        // Both sectors hidden, both communes published: each commune is one sector, so both hidden counts are given away.
        var report = new StatisticsReport("Conseil", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 5, 13, false,
            [
                new StatisticsTable(CommuneBreakdown.Table, Table, null, 13,
                    [new StatisticsCell("Valence", "Valence", 6, false), new StatisticsCell("Bourg", "Bourg", 7, false)]),
                new StatisticsTable(StatisticsTables.Sectors, "Situations par secteur", null, 13,
                    [new StatisticsCell("nord", "Quartier nord", null, true), new StatisticsCell("sud", "Quartier sud", null, true)]),
            ], null, true, "", "", SectorCommunes: new Dictionary<string, string> { ["nord"] = "Valence", ["sud"] = "Bourg" });
        var found = new DisclosureCheck([report], [], 5).Find([report]);
        Assert.Contains(found, d => d is { Table: StatisticsTables.Sectors, Cell: "nord", Suppressed: true });
        Assert.Contains(found, d => d is { Table: StatisticsTables.Sectors, Cell: "sud", Suppressed: true });

        // With the communes hidden too, nothing is: the total gives only their sum.
        var hidden = report with
        {
            Tables = [report.Tables[0] with { Cells = [.. report.Tables[0].Cells.Select(c => c with { Count = null, Suppressed = true })] }, report.Tables[1]],
        };
        Assert.Empty(new DisclosureCheck([hidden], [], 5).Find([hidden]));
    }
}
