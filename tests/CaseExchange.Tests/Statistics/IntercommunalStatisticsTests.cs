using System.Text.Json;
using System.Net;
using CaseExchange.Councils.Members;
using CaseExchange.Journal.AdministrativeActs;
using CaseExchange.Statistics;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Statistics;

/// <summary>
/// An intercommunal council: sector nord in Valence, sud and est in Bourg-lès-Valence. Twenty-two situations referred in
/// the last closed month: twelve in nord, three in sud (a small count), seven in est.
/// </summary>
public sealed class IntercommunalFixture : CouncilFixture
{
    protected override bool OwnHost => true;

    public const string Valence = "Valence";
    public const string Bourg = "Bourg-lès-Valence";

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        var api = Council.Api;
        await service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{api}/sectors/nord/commune", new { commune = Valence });
        await service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{api}/sectors/sud/commune", new { commune = Bourg });
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{api}/sectors", new { code = "est", label = "Quartier est", commune = Bourg });
        var referrals = new[] { ("nord", 12), ("sud", 3), ("est", 7) }.SelectMany(s => Enumerable.Range(0, s.Item2).Select(i => (object)new
        {
            groupId = Council.GroupA, reasons = new[] { "errance" }, sector = s.Item1, urgency = "normale",
            persons = new[] { TestPerson.Distinctive($"Commune{s.Item1}{i}").AsRequest("personne-suivie") }, facts = "Faits.",
        }));
        Referred = await PastReferrals.ReferAsync(service, Council.MemberOfHoldingGroup, api, referrals);
        MaireId = await Steps.NewMemberAsync();
        Maire = (await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{api}/members/{MaireId}/maire", new { commune = Bourg }))
            .GetProperty("subject").GetString()!;
    }

    public IReadOnlyList<Guid> Referred { get; private set; } = [];
    public Guid MaireId { get; private set; }

    /// <summary>The maire of Bourg-lès-Valence.</summary>
    public string Maire { get; private set; } = "";
}

public sealed class IntercommunalStatisticsTests(IntercommunalFixture fixture) : IClassFixture<IntercommunalFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static string Period => PastReferrals.Period;

    [Fact]
    public async Task The_statistics_break_down_per_commune_with_the_sector_table_protected_with_them()
    {
        var report = await Service.GetJsonAsync<StatisticsReport>(Council.President, $"{Council.Api}/statistics?{Period}");
        Assert.Equal(22, report.Situations);
        var communes = report.Communes!.Cells.ToDictionary(c => c.Code);
        Assert.Equal((12, 10), (communes[IntercommunalFixture.Valence].Count, communes[IntercommunalFixture.Bourg].Count));
        var sectors = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells.ToDictionary(c => c.Code);
        Assert.Equal(12, sectors["nord"].Count);
        Assert.True(sectors["sud"].Suppressed);
        Assert.True(sectors["est"].Suppressed, "Bourg (10) minus est (7) would give sud (3)");

        using var client = await Service.PageClientAsync(Council.President);
        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(
            $"/c/{Council.Code}/statistiques?du={Period[5..12]}&au={Period[^10..^3]}", TestContext.Current.CancellationToken));
        Assert.Contains("Situations par commune", page);
        Assert.Contains(IntercommunalFixture.Bourg, page);
    }

    [Fact]
    public async Task A_blank_or_too_long_commune_is_a_400_and_nothing_is_written()
    {
        var before = await Service.EventCountAsync();
        foreach (var commune in new[] { "   ", new string('x', 81) })
        {
            var put = await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put,
                $"{Council.Api}/sectors/nord/commune", new { commune }), 400);
            Assert.True(put.GetProperty("errors").TryGetProperty("commune", out _));
            await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/sectors",
                new { code = "ouest", label = "Quartier ouest", commune }), 400);
        }
        await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put,
            $"{Council.Api}/sectors/inconnu/commune", new { commune = "Valence" }), 404);
        await Answers.ProblemAsync(await Service.SendAsync(Council.President, HttpMethod.Put,
            $"{Council.Api}/sectors/nord/commune", new { commune = "Valence" }), 403);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task The_maire_sees_his_communes_figures_only_with_the_same_suppression()
    {
        var report = await Service.GetJsonAsync<StatisticsReport>(fixture.Maire, $"{Council.Api}/statistics?{Period}");
        Assert.Equal(IntercommunalFixture.Bourg, report.Commune);
        Assert.Equal(10, report.Situations);
        Assert.Null(report.Communes);
        var sectors = report.Tables.Single(t => t.Code == StatisticsTables.Sectors).Cells;
        Assert.Equal(["sud", "est"], sectors.Select(c => c.Code));
        // Three in sud is a small count: hidden, with est, or est would give it by difference with his total.
        Assert.All(sectors, c => Assert.True(c.Suppressed));
        Assert.Empty(DisclosureAttack.RecomputableSuppressedCells(report));
        Assert.All(report.Tables.SelectMany(t => t.Cells), c => Assert.False(c.Count is > 0 and < 5, $"{c.Code} = {c.Count}"));

        // Asking for his own commune changes nothing; asking for another is refused, by the API and by the page.
        var own = await Service.GetJsonAsync<StatisticsReport>(fixture.Maire, $"{Council.Api}/statistics?{Period}&commune={Uri.EscapeDataString(IntercommunalFixture.Bourg)}");
        Assert.Equal(10, own.Situations);
        await Answers.ProblemAsync(await Service.GetAsync(fixture.Maire, $"{Council.Api}/statistics?{Period}&commune={IntercommunalFixture.Valence}"), 403);
        using var client = await Service.PageClientAsync(fixture.Maire);
        var other = await client.GetAsync($"/c/{Council.Code}/statistiques?commune={IntercommunalFixture.Valence}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/c/{Council.Code}/statistiques?du={Period[5..12]}&au={Period[^10..^3]}", TestContext.Current.CancellationToken));
        Assert.Contains($"commune de {IntercommunalFixture.Bourg}", page);
        Assert.DoesNotContain("Quartier nord", page);
        Assert.DoesNotContain("Rapports pléniers publiés", page);

        // The président may look at one commune too.
        var president = await Service.GetJsonAsync<StatisticsReport>(Council.President, $"{Council.Api}/statistics?{Period}&commune={IntercommunalFixture.Valence}");
        Assert.Equal(12, president.Situations);
        await Answers.ProblemAsync(await Service.GetAsync(Council.President, $"{Council.Api}/statistics?{Period}&commune=Ailleurs"), 400);
    }

    [Fact]
    public async Task The_maire_reaches_nothing_nominative_nor_the_councils_reports()
    {
        var situation = fixture.Referred[0];
        await Answers.ProblemAsync(await Service.GetAsync(fixture.Maire, $"{Council.Api}/situations"), 403);
        await Answers.ProblemAsync(await Service.GetAsync(fixture.Maire, $"{Council.Api}/situations/{situation}"), 403);
        await Answers.ProblemAsync(await Service.PostAsync(fixture.Maire, $"{Council.Api}/situations/{situation}/file-openings", new { purpose = "suivi" }), 403);
        await Answers.ProblemAsync(await Service.GetAsync(fixture.Maire, $"{Council.Api}/groups"), 403);
        await Answers.ProblemAsync(await Service.GetAsync(fixture.Maire, $"{Council.Api}/statistics/reports"), 403);
        await Answers.ProblemAsync(await Service.PostAsync(fixture.Maire, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupA, reasons = new[] { "errance" }, sector = "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive("MaireRefere").AsRequest("personne-suivie") }, facts = "Faits.",
        }), 403);
        using var client = await Service.PageClientAsync(fixture.Maire);
        var page = await client.GetAsync($"/c/{Council.Code}/situations/{situation}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
    }

    [Fact]
    public async Task One_maire_per_commune_never_a_group_member_and_the_designation_is_an_administrative_act()
    {
        var candidate = await fixture.Steps.NewMemberAsync();
        var before = await Service.EventCountAsync();
        var second = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{candidate}/maire",
            new { commune = IntercommunalFixture.Bourg }), 409);
        Assert.Contains("déjà son maire", second.GetProperty("detail").GetString());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{candidate}/maire", new { commune = "Ailleurs" }), 400);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{candidate}/maire", new { commune = "  " }), 400);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur,
            $"{Council.Api}/members/{Council.Id(Council.MemberOfHoldingGroup)}/maire", new { commune = IntercommunalFixture.Valence }), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/members",
            new { memberId = fixture.MaireId, role = "membre" }), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.President, $"{Council.Api}/members/{candidate}/maire",
            new { commune = IntercommunalFixture.Valence }), 403);
        Assert.Equal(before, await Service.EventCountAsync());

        // Valence gets its maire; ending the designation takes the statistics away.
        var designated = await Service.PostJsonAsync<MemberView>(Council.Coordonnateur, $"{Council.Api}/members/{candidate}/maire",
            new { commune = IntercommunalFixture.Valence });
        Assert.Equal(IntercommunalFixture.Valence, designated.MaireOf);
        await Answers.ExpectAsync(await Service.GetAsync(designated.Subject, $"{Council.Api}/statistics?{Period}"), 200);
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Delete, $"{Council.Api}/members/{candidate}/maire"), 200);
        await Answers.ProblemAsync(await Service.GetAsync(designated.Subject, $"{Council.Api}/statistics?{Period}"), 403);

        var acts = await Service.GetJsonAsync<AdministrativeActsPage>(Council.Auditeur, $"{Council.Api}/journal/administrative-acts?pageSize=500");
        Assert.Contains(acts.Items, a => a.Act == "Maire désigné" && a.Detail == $"Maire de {IntercommunalFixture.Bourg}" && a.MemberId == fixture.MaireId);
        Assert.Contains(acts.Items, a => a.Act == "Fin de la désignation d'un maire" && a.MemberId == candidate);
    }
}
