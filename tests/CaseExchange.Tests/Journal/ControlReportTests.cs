using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Journal.Alerts;
using CaseExchange.Journal.Replay;
using CaseExchange.Journal.ControlReport;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

/// <summary>
/// A council's year so far: member A opens a current file twice and an archived one once (with its reason), member B is
/// refused three times on A's group's file, the coordonnateur orders the erasure of the archived situation, and an entry
/// granting B that file is crafted (as a bug would) for the replay to flag.
/// </summary>
public sealed class ControlReportFixture : CouncilFixture
{
    public TestPerson Current { get; } = TestPerson.Distinctive("Controlix");
    public TestPerson Archived { get; } = TestPerson.Distinctive("S1");
    public ReferredSituation CurrentSituation { get; private set; }
    public string ArchivedPseudonym { get; private set; } = "";

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        // The steps' first situation is of TestPerson.Distinctive("S1"): examined at a séance of group A, then closed.
        var closed = (await Steps.CloseAsync()).SituationId;
        ArchivedPseudonym = (await service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{closed}"))
            .GetProperty("pseudonym").GetString()!;
        CurrentSituation = await Council.ReferAsync(service, Current, "Faits fictifs Controlix");

        for (var i = 0; i < 2; i++) await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, CurrentSituation.Id), 200);
        for (var i = 0; i < JournalAlertRules.RefusalThreshold; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await service.OpenFileAsync(Council, Council.MemberOfOtherGroup, CurrentSituation.Id)).StatusCode);
        await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, closed, new
        {
            purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Contentieux fictif en cours" },
        }), 200);
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{closed}/erasure-orders",
            new { reason = "finalite-eteinte" });
        // As a bug would have done: a well-formed, correctly chained entry granting member B a file of group A.
        await service.Services.GetRequiredService<AccessJournal>().AppendAsync(Council.Code, new JournalRequest(
            JournalActions.FileOpening, CurrentSituation.Id, CurrentSituation.Pseudonym, Council.Id(Council.MemberOfOtherGroup),
            Council.MemberOfOtherGroup, "suivi", null, null, true, null));
    }

    public IEnumerable<string> Leakables() => [.. Current.Leakables(), .. Archived.Leakables(), "Contentieux fictif en cours"];
}

/// <summary>Issue 16, the DPO's kit (a): the annual control report, from the replayed journal, as DOCX for the auditeur.</summary>
public sealed class ControlReportTests(ControlReportFixture fixture) : IClassFixture<ControlReportFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static int ThisYear => ControlReportPeriod.CurrentYear(DateTimeOffset.UtcNow);

    private async Task<ControlReportContent> BuildAsync(int year, bool toDate)
    {
        await using var session = Service.Store.LightweightSession(Council.Code);
        var request = await CouncilRequest.ResolveAsync(session, Council.Auditeur, Service.Services.GetRequiredService<CharterPolicy>(), TimeProvider.System);
        return await ControlReportUseCase.BuildAsync(request, Service.Services.GetRequiredService<ControlReportServices>(), year, toDate);
    }

    [Fact]
    public async Task The_figures_are_those_of_the_scenario_replayed()
    {
        var report = await BuildAsync(ThisYear, toDate: true);

        Assert.True(report.Period.ToDate);
        Assert.Contains("à date", report.Title);
        // Openings by the holding group at their instant and their purpose: two preparations, one archive opening, B's.
        Assert.Equal(4, report.GrantedOpenings);
        Assert.Equal(
            [("GT A (détenteur)", "preparation-seance", 2), ("GT A (détenteur)", "suivi", 2)],
            report.Openings.Select(o => (o.Group, o.Purpose, o.Count)).OrderBy(o => o.Purpose));
        var refusal = Assert.Single(report.Refusals);
        Assert.Equal((Refusals.NotInHoldingGroup, 3), (refusal.Refusal, refusal.Count));
        // Every recorded decision is confirmed by the replay, but the access granted to B, whom the rules refuse.
        var flagged = Assert.Single(report.Disagreements);
        Assert.Equal((fixture.CurrentSituation.Pseudonym, Council.MemberOfOtherGroup, true, ReplayVerdicts.Label(ReplayVerdicts.Flagged)),
            (flagged.Pseudonym, flagged.Subject, flagged.Granted, flagged.Verdict));
        Assert.Equal([ReplayReasons.Explain(ReplayReasons.GrantedWithoutEntitlement)], flagged.Reasons);
        var archive = Assert.Single(report.ArchiveOpenings);
        Assert.Equal((fixture.ArchivedPseudonym, "contentieux", true, "Membre membre-a (Éducation nationale)"),
            (archive.Pseudonym, archive.ReasonCode, archive.WrittenReason, archive.Member));
        var erasure = Assert.Single(report.ErasuresDone);
        Assert.Equal((fixture.ArchivedPseudonym, ErasureCauses.ErasureOrder), (erasure.Pseudonym, erasure.Cause));
        Assert.False(report.Ledger.Configured);
        Assert.True(report.Integrity.Intact, report.Integrity.Summary);
        Assert.True(report.Integrity.EntryCount >= report.EntryCount);
        var alert = Assert.Single(report.Alerts);
        Assert.Equal((AlertKinds.Label(AlertKinds.RepeatedRefusals), 3), (alert.Label, alert.Count));
        Assert.Equal([fixture.CurrentSituation.Pseudonym], alert.Pseudonyms);
    }

    [Fact]
    public async Task A_past_year_holds_none_of_this_year_and_the_current_year_needs_to_date()
    {
        var past = await BuildAsync(ThisYear - 1, toDate: true);
        Assert.False(past.Period.ToDate);
        Assert.DoesNotContain("à date", past.Title);
        Assert.Equal((0, 0), (past.EntryCount, past.ErasuresDone.Count));
        Assert.Empty(past.Openings);

        var current = await Answers.ProblemAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/control-reports/{ThisYear}"), 400);
        Assert.True(current.GetProperty("errors").TryGetProperty("toDate", out _));
        await Answers.ProblemAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/control-reports/{ThisYear + 1}?toDate=true"), 400);
        await Answers.ProblemAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/control-reports/2019"), 400);
    }

    [Fact]
    public void The_period_is_a_French_calendar_year_and_never_the_current_one_unless_to_date()
    {
        var now = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
        Assert.True(ControlReportPeriod.Check(2026, false, now).Any);
        Assert.False(ControlReportPeriod.Check(2026, true, now).Any);
        Assert.False(ControlReportPeriod.Check(2025, false, now).Any);
        Assert.True(ControlReportPeriod.Check(2027, true, now).Any);
        var year = ControlReportPeriod.Of(2025, true, now);
        // 1 January 0:00 in Paris (UTC+1 in winter), to the next 1 January; « à date » means nothing for a year that is over.
        Assert.Equal((false, new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero)),
            (year.ToDate, year.From.ToUniversalTime(), year.To.ToUniversalTime()));
        var toDate = ControlReportPeriod.Of(2026, true, now);
        Assert.Equal((true, now), (toDate.ToDate, toDate.To));
        // New Year's Eve at 23:30 UTC is already the next year in Paris.
        Assert.Equal(2027, ControlReportPeriod.CurrentYear(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task The_DOCX_opens_names_the_pseudonyms_and_holds_no_identity_value()
    {
        var response = await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/control-reports/{ThisYear}?toDate=true");
        await Answers.ExpectAsync(response, 200);
        Assert.Equal(ControlReportEndpoint.DocxType, response.Content.Headers.ContentType?.MediaType);
        var text = DocumentText(await response.Content.ReadAsByteArrayAsync());

        Assert.Contains("Rapport annuel de contrôle", text);
        Assert.Contains("à date", text);
        Assert.Contains(fixture.CurrentSituation.Pseudonym, text);
        Assert.Contains(fixture.ArchivedPseudonym, text);
        Assert.Contains("GT A (détenteur)", text);
        Assert.Contains("Ordre d'effacement", text);
        Assert.Contains("Refus répétés", text);
        Assert.Contains(ReplayVerdicts.Label(ReplayVerdicts.Flagged), text);
        foreach (var value in fixture.Leakables()) Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);

        // The page serves the same document to the auditeur, and shows its figures.
        using var client = await Service.PageClientAsync(Council.Auditeur);
        var page = await client.GetStringAsync($"/c/{Council.Code}/journal/rapport-annuel?annee={ThisYear}&a-date=true");
        Assert.Contains("Télécharger le rapport (DOCX)", page);
        Assert.Contains("GT A (détenteur)", page);
        foreach (var value in fixture.Leakables()) Assert.DoesNotContain(value, page, StringComparison.OrdinalIgnoreCase);
        var download = await client.GetAsync($"/c/{Council.Code}/journal/rapport-annuel?handler=Docx&annee={ThisYear}&a-date=true");
        await Answers.ExpectAsync(download, 200);
        Assert.Contains(fixture.CurrentSituation.Pseudonym, DocumentText(await download.Content.ReadAsByteArrayAsync()));
        var refused = await client.GetAsync($"/c/{Council.Code}/journal/rapport-annuel?annee={ThisYear}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("n&#x27;est pas terminée", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_one_but_the_auditeur_gets_the_report()
    {
        foreach (var subject in new[] { Council.Coordonnateur, Council.President, Council.MemberOfHoldingGroup, Council.Animateur })
        {
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Council.Api}/journal/control-reports/{ThisYear - 1}"), 403);
            using var client = await Service.PageClientAsync(subject);
            var docx = await client.GetAsync($"/c/{Council.Code}/journal/rapport-annuel?handler=Docx&annee={ThisYear - 1}");
            Assert.Equal(HttpStatusCode.Forbidden, docx.StatusCode);
        }
    }

    /// <summary>
    /// The document's text, after checking that it is a zip whose document.xml is well-formed XML, and that the Open XML
    /// SDK finds no schema error in it (what Word would refuse to open).
    /// </summary>
    private static string DocumentText(byte[] docx)
    {
        DocxValidity.AssertValid(docx, "the control report");
        using var zip = new ZipArchive(new MemoryStream(docx), ZipArchiveMode.Read);
        var entry = zip.GetEntry("word/document.xml") ?? throw new Xunit.Sdk.XunitException("No word/document.xml in the DOCX");
        using var stream = entry.Open();
        var xml = XDocument.Load(stream);
        XNamespace w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        return string.Join("\n", xml.Descendants(w + "p").Select(p => string.Concat(p.Descendants(w + "t").Select(t => t.Value))));
    }
}
