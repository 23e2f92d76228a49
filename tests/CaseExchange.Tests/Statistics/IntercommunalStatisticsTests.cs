using System.Text.Json;
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
        await PastReferrals.ReferAsync(service, Council.MemberOfHoldingGroup, api, referrals);
    }
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
}
