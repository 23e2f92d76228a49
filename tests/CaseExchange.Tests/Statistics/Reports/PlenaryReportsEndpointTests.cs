using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CaseExchange.Statistics.Reports;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Statistics.Reports;

public sealed class PlenaryReportsFixture : CouncilFixture
{
    // Refers through a second service whose clock stands in the last closed quarter, on this class's database.
    protected override bool OwnHost => true;

    public List<TestPerson> Persons { get; } = [];

    /// <summary>The quarter before the current one: closed, publishable.</summary>
    public static FixedPeriod LastQuarter
    {
        get
        {
            var today = DateTime.UtcNow;
            var quarter = (today.Month - 1) / 3 + 1;
            return quarter == 1 ? new FixedPeriod(today.Year - 1, FixedPeriod.QuarterKind, 4) : new FixedPeriod(today.Year, FixedPeriod.QuarterKind, quarter - 1);
        }
    }

    /// <summary>Eight situations referred in the middle of the last closed quarter: six in the north, two in the south (a small count).</summary>
    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        await ReferInLastQuarterAsync(service, 8, i => i < 6 ? "nord" : "sud");
    }

    public async Task ReferInLastQuarterAsync(TestService service, int count, Func<int, string> sector)
    {
        var middle = LastQuarter.From.AddMonths(1).AddDays(14);
        await using var past = await TestService.StartAsync(service.ConnectionString,
            new FakeTimeProvider(new DateTimeOffset(middle.Year, middle.Month, middle.Day, 12, 0, 0, TimeSpan.Zero)),
            new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        for (var i = 0; i < count; i++)
        {
            var person = TestPerson.Distinctive($"Rapport{Persons.Count}");
            Persons.Add(person);
            await past.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations", new
            {
                groupId = Council.GroupA,
                reasons = new[] { "decrochage-scolaire", "violences-intrafamiliales" }.Take(1 + i % 2),
                sector = sector(i),
                urgency = "normale",
                persons = new[] { person.AsRequest("personne-suivie") },
                facts = $"Faits FaitsSecretsAbc {person.Nom}",
            }, 201);
        }
    }
}

/// <summary>Fixed-period plenary reports through HTTP and the statistics page: publication, frozen downloads, refusals.</summary>
public sealed class PlenaryReportsEndpointTests(PlenaryReportsFixture fixture) : IClassFixture<PlenaryReportsFixture>
{
    private TestService Service => fixture.Service;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private TestCouncil Council => fixture.Council;
    private string Reports => $"{Council.Api}/statistics/reports";

    [Fact]
    public async Task The_president_publishes_a_closed_quarter_whose_files_hold_no_identity_and_no_small_count_and_stay_frozen()
    {
        var period = PlenaryReportsFixture.LastQuarter.Code;
        var published = await Service.PostJsonAsync<JsonElement>(Council.President, Reports, new { period }, 201);
        Assert.Equal(period, published.GetProperty("period").GetString());

        var list = await Service.GetJsonAsync<List<PublishedReportView>>(Council.President, Reports);
        Assert.Contains(list, r => r.Period == period);

        var files = new Dictionary<string, byte[]>();
        foreach (var format in ReportFormats.All)
        {
            var response = await Service.GetAsync(Council.President, $"{Reports}/{period}/{format}");
            await Answers.ExpectAsync(response, 200);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            files[format] = await response.Content.ReadAsByteArrayAsync(Cancel);
        }
        var texts = new Dictionary<string, string>
        {
            ["csv"] = Encoding.UTF8.GetString(files["csv"]),
            ["ods"] = ZipText(files["ods"], "content.xml"),
            ["docx"] = ZipText(files["docx"], "word/document.xml"),
        };
        // The ODS is an OpenDocument package: its mimetype first, stored.
        using (var ods = new ZipArchive(new MemoryStream(files["ods"])))
        {
            Assert.Equal("mimetype", ods.Entries[0].FullName);
            Assert.Equal(ods.Entries[0].Length, ods.Entries[0].CompressedLength);
            foreach (var part in new[] { "content.xml", "META-INF/manifest.xml" })
            {
                using var reader = new StreamReader(ods.GetEntry(part)!.Open());
                Assert.NotNull(XDocument.Parse(reader.ReadToEnd()).Root);
            }
        }
        // The DOCX is valid OpenXML in every part, body and styles (the SDK's schema validator finds nothing in it).
        DocxValidity.AssertValid(files["docx"], "the plenary report");
        foreach (var (format, text) in texts)
        {
            Leaks.AssertNone(text, [.. fixture.Persons.SelectMany(Leaks.Of), .. Leaks.Secrets], $"the {format} report");
            Assert.Contains("secret statistique", text);
        }
        // Every count in the CSV is 0 or at least the threshold; the south's two situations are hidden, and the north with them.
        var counts = texts["csv"].Split("\r\n").Skip(2).Where(l => l.Length > 0).Select(l => l.Split(';')[^1]).ToList();
        Assert.All(counts.Where(c => c != ReportFormats.Suppressed), c => Assert.True(int.Parse(c) is 0 or >= 5, $"{c} is published"));
        Assert.Contains("Quartier sud;secret statistique", texts["csv"]);
        Assert.Contains("Quartier nord;secret statistique", texts["csv"]);
        Assert.Contains(";8\r\n", texts["csv"]);
        // The DOCX draws a bar chart per table (shaded cells).
        Assert.Contains("Graphique : Situations par mois de signalement", texts["docx"]);
        Assert.Contains("w:fill=\"1F4E79\"", texts["docx"]);

        // Later referrals in the same quarter change the data, not the published report.
        await fixture.ReferInLastQuarterAsync(Service, 3, _ => "sud");
        var again = await (await Service.GetAsync(Council.President, $"{Reports}/{period}/csv")).Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal(files["csv"], again);
        var events = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, Reports, new { period }), 409);
        Assert.Contains("figés", problem.GetProperty("detail").GetString());
        Assert.Equal(events, await Service.EventCountAsync());
    }

    public static TheoryData<string> NotPublishable => new()
    {
        CurrentQuarter, DateTime.UtcNow.Year.ToString(), (DateTime.UtcNow.Year + 1).ToString(), $"{DateTime.UtcNow.Year - 1}-T5", "2025-03", "",
    };

    private static string CurrentQuarter => $"{DateTime.UtcNow.Year}-T{(DateTime.UtcNow.Month - 1) / 3 + 1}";

    [Theory, MemberData(nameof(NotPublishable))]
    public async Task The_current_period_a_future_one_or_another_shape_is_refused_with_a_400_and_nothing_is_written(string period)
    {
        var events = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.President, Reports, new { period }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("period", out var messages), problem.GetRawText());
        // A value that is not a fixed period is never repeated.
        if (FixedPeriod.Parse(period) is null && period.Length > 0) Assert.DoesNotContain(period, messages[0].GetString());
        Assert.Equal(events, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Only_whoever_reads_the_statistics_publishes_lists_and_downloads_reports()
    {
        var period = $"{DateTime.UtcNow.Year - 2}-S1";
        foreach (var subject in new[] { Council.Animateur, Council.MemberOfHoldingGroup, Council.Auditeur, Council.MemberOfOtherGroup })
        {
            await Answers.ProblemAsync(await Service.PostAsync(subject, Reports, new { period }), 403);
            await Answers.ProblemAsync(await Service.GetAsync(subject, Reports), 403);
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Reports}/{PlenaryReportsFixture.LastQuarter.Code}/csv"), 403);
        }
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, Reports, new { period }, 201);
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Reports}/{period}/pdf"), 404);
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Reports}/{DateTime.UtcNow.Year - 3}-T2/csv"), 404);
    }

    [Fact]
    public async Task The_statistics_page_lists_the_reports_publishes_one_and_downloads_it()
    {
        var client = await Service.PageClientAsync(Council.President);
        var page = $"/c/{Council.Code}/statistiques";
        var html = await client.GetStringAsync(page, Cancel);
        Assert.Contains("Rapports pléniers publiés", html);
        Leaks.AssertNone(html, [.. fixture.Persons.SelectMany(Leaks.Of), .. Leaks.Secrets], "the statistics page");
        var period = $"{DateTime.UtcNow.Year - 2}-T3";
        Assert.Contains($"value=\"{period}\"", html);

        var token = await Pages.AntiforgeryTokenAsync(client, page);
        var posted = await client.PostAsync($"{page}?handler=Publish", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["periode"] = period, ["__RequestVerificationToken"] = token,
        }), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        html = await client.GetStringAsync(page, Cancel);
        Assert.Contains("est publié", html);
        Assert.DoesNotContain($"<option value=\"{period}\"", html);
        Assert.Contains(WebUtility.HtmlEncode($"handler=Report&period={period}&format=ods"), html);

        var file = await client.GetAsync($"{page}?handler=Report&period={period}&format=ods", Cancel);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/vnd.oasis.opendocument.spreadsheet", file.Content.Headers.ContentType?.MediaType);

        // The current quarter is refused on the form, by field, and nothing is published.
        var refused = await client.PostAsync($"{page}?handler=Publish", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["periode"] = CurrentQuarter, ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, page),
        }), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Seules les périodes écoulées sont publiées", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel)));
    }

    [Fact]
    public async Task The_statistics_page_refuses_the_members_who_do_not_read_statistics()
    {
        var client = await Service.PageClientAsync(Council.Auditeur);
        var file = await client.GetAsync($"/c/{Council.Code}/statistiques?handler=Report&period={PlenaryReportsFixture.LastQuarter.Code}&format=csv", Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, file.StatusCode);
    }

    private static string ZipText(byte[] zip, string entry)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry(entry)!.Open());
        return Regex.Replace(reader.ReadToEnd(), "<[^>]+>", m => m.Value.Contains("w:fill") ? m.Value : " ");
    }
}
