using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Councils;

public sealed class TwoCouncilsFixture : ServiceFixture
{
    public TestCouncil Red { get; private set; } = null!;
    public TestCouncil Blue { get; private set; } = null!;

    protected override async Task SeedAsync(TestService service)
    {
        Red = await TestCouncil.CreateAsync(service, "rouge");
        Blue = await TestCouncil.CreateAsync(service, "bleu");
    }
}

public sealed class TenancyAndCharterTests(TwoCouncilsFixture fixture) : IClassFixture<TwoCouncilsFixture>
{
    private TestService Service => fixture.Service;

    [Fact]
    public async Task Nothing_of_one_council_is_visible_from_another()
    {
        var (id, pseudonym) = await fixture.Red.ReferAsync(Service, TestPerson.Distinctive("Rouge"), "Faits rouges");

        // Blue's coordonnateur, through Blue's own routes, asking for Red's situation id: it does not exist there.
        await Answers.ProblemAsync(await Service.GetAsync(fixture.Blue.Coordonnateur, $"{fixture.Blue.Api}/situations/{id}"), 404);
        var blueList = await (await Service.GetAsync(fixture.Blue.Coordonnateur, $"{fixture.Blue.Api}/situations?pageSize=200")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(id.ToString(), blueList);
        await Answers.ProblemAsync(await Service.PostAsync(fixture.Blue.MemberOfHoldingGroup, $"{fixture.Blue.Api}/situations/{id}/file-openings", new { purpose = "suivi" }), 404);

        // Blue's members through Red's routes: not members there.
        foreach (var subject in new[] { fixture.Blue.Coordonnateur, fixture.Blue.MemberOfHoldingGroup, fixture.Blue.Auditeur })
        {
            var problem = await Answers.ProblemAsync(await Service.GetAsync(subject, $"{fixture.Red.Api}/situations/{id}"), 403);
            Assert.Contains("pas-membre-du-conseil", problem.GetProperty("type").GetString());
        }

        // Pseudonyms are numbered per council.
        var (_, bluePseudonym) = await fixture.Blue.ReferAsync(Service, TestPerson.Distinctive("Bleu"), "Faits bleus");
        Assert.NotNull(pseudonym);
        Assert.Matches(@"^S-\d{4}-\d{4}$", bluePseudonym);
    }

    [Fact]
    public async Task An_unknown_council_looks_exactly_like_a_council_one_does_not_belong_to()
    {
        var unknown = await Answers.ProblemAsync(await Service.GetAsync(fixture.Red.Coordonnateur, "/api/councils/inexistant/situations"), 403);
        var foreign = await Answers.ProblemAsync(await Service.GetAsync(fixture.Red.Coordonnateur, $"{fixture.Blue.Api}/situations"), 403);
        Assert.Equal(unknown.GetProperty("type").GetString(), foreign.GetProperty("type").GetString());
        Assert.Equal(unknown.GetProperty("detail").GetString(), foreign.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_member_who_has_not_signed_the_charter_in_force_has_no_nominative_access_until_signing()
    {
        var council = fixture.Red;
        var newcomer = $"{council.Code}.nouvelle-recrue";
        var member = await Service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/members",
            new { subject = newcomer, displayName = "Nouvelle recrue", organisation = "PJJ", function = "Éducatrice" }, 201);
        await Service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/groups/{council.GroupA}/members",
            new { memberId = member.GetProperty("memberId").GetGuid(), role = "membre" });
        var (id, _) = await council.ReferAsync(Service, TestPerson.Distinctive("Charte"), "Faits charte");

        var me = await Service.GetJsonAsync<JsonElement>(newcomer, $"{council.Api}/me");
        Assert.False(me.GetProperty("charterSigned").GetBoolean());
        var refused = await Answers.ProblemAsync(await Service.PostAsync(newcomer, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" }), 403);
        Assert.Contains("charte-non-signee", refused.GetProperty("type").GetString());
        // Need to know: not even the anonymised view before signing (sector, ages and dates single a person out).
        await Answers.ProblemAsync(await Service.GetAsync(newcomer, $"{council.Api}/situations/{id}"), 403);

        var charter = await Service.GetJsonAsync<JsonElement>(newcomer, $"{council.Api}/charter");
        Assert.Contains("Charte", charter.GetProperty("text").GetString());
        await Service.PostJsonAsync<JsonElement>(newcomer, $"{council.Api}/charter/signatures", new { version = charter.GetProperty("version").GetString() });
        await Answers.ExpectAsync(await Service.PostAsync(newcomer, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" }), 200);
        await Answers.ExpectAsync(await Service.GetAsync(newcomer, $"{council.Api}/situations/{id}"), 200);
        await Answers.ProblemAsync(await Service.PostAsync(newcomer, $"{council.Api}/charter/signatures", new { version = charter.GetProperty("version").GetString() }), 409);
    }

    [Fact]
    public async Task A_member_removed_from_the_group_loses_nominative_access_at_once()
    {
        var council = fixture.Blue;
        var (id, _) = await council.ReferAsync(Service, TestPerson.Distinctive("Retrait"), "Faits retrait");
        var leaving = $"{council.Code}.partante";
        var member = (await Service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/members",
            new { subject = leaving, displayName = "Partante", organisation = "Police nationale", function = "Brigadière" }, 201)).GetProperty("memberId").GetGuid();
        await Service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/groups/{council.GroupA}/members", new { memberId = member, role = "membre" });
        var version = Service.Services.GetRequiredService<CharterPolicy>().Version;
        await Service.PostJsonAsync<JsonElement>(leaving, $"{council.Api}/charter/signatures", new { version });
        await Answers.ExpectAsync(await Service.PostAsync(leaving, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" }), 200);

        await Answers.ExpectAsync(await Service.SendAsync(council.Coordonnateur, HttpMethod.Delete, $"{council.Api}/groups/{council.GroupA}/members/{member}"), 200);
        var problem = await Answers.ProblemAsync(await Service.PostAsync(leaving, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" }), 403);
        Assert.Contains("hors-du-groupe-detenteur", problem.GetProperty("type").GetString());

        await Answers.ExpectAsync(await Service.PostAsync(council.Coordonnateur, $"{council.Api}/members/{member}/deactivation", new { }), 200);
        await Answers.ProblemAsync(await Service.GetAsync(leaving, $"{council.Api}/me"), 403);
    }
}
