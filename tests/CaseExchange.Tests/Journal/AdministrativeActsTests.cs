using System.Net;
using System.Text;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Journal.AdministrativeActs;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Journal;

/// <summary>
/// After the test council's set-up (members registered, groups composed, charter signed, a member removed from group A):
/// the coordonnateur grants member B the auditeur's role and withdraws it, suspends member A then lifts the suspension,
/// and registers a partner.
/// </summary>
public sealed class AdministrativeActsFixture : CouncilFixture
{
    public DateTimeOffset ScenarioStart { get; private set; }

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        ScenarioStart = DateTimeOffset.UtcNow;
        var b = Council.Id(Council.MemberOfOtherGroup);
        var a = Council.Id(Council.MemberOfHoldingGroup);
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{b}/roles", new { role = Roles.Auditeur });
        await Answers.ExpectAsync(await service.SendAsync(Council.Coordonnateur, HttpMethod.Delete, $"{Council.Api}/members/{b}/roles/{Roles.Auditeur}"), 200);
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{a}/suspension", new { reason = "consultation-injustifiee" });
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{a}/reinstatement", new { reason = "observations-entendues" });
        await Council.PartnerAsync(service, "Mission locale du test", "conseiller-insertion");
    }
}

/// <summary>Issue 16, the DPO's kit (c): the trail of administrative acts, for the auditeur.</summary>
public sealed class AdministrativeActsTests(AdministrativeActsFixture fixture) : IClassFixture<AdministrativeActsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private Task<AdministrativeActsPage> ActsAsync(string query = "") =>
        Service.GetJsonAsync<AdministrativeActsPage>(Council.Auditeur, $"{Council.Api}/journal/administrative-acts?pageSize=500{query}");

    [Fact]
    public async Task The_scenario_s_acts_appear_in_order_with_who_did_them()
    {
        var all = (await ActsAsync()).Items;
        Assert.Equal(all.OrderBy(a => a.At), all);
        var coordinator = "Coordonnatrice Test (Mairie)";
        var membreB = "Membre membre-b (Bailleur social)";
        var membreA = "Membre membre-a (Éducation nationale)";

        // The set-up: the charter adopted at the council's establishment, members registered, groups composed, signatures, a removal.
        Assert.Equal("Version de la charte adoptée", all.First(a => a.Kind == AdministrativeActKinds.Charter).Act);
        Assert.Contains(all, a => a.Act == "Membre inscrit" && a.Member == membreB && a.By == coordinator);
        Assert.Contains(all, a => a.Act == "Groupe créé" && a.Detail.StartsWith("GT A (détenteur)", StringComparison.Ordinal));
        Assert.Contains(all, a => a.Act == "Charte signée" && a.Member == membreB && a.By == membreB);
        Assert.Contains(all, a => a.Act == "Membre retiré d'un groupe" && a.Member == "Membre retire (Mission locale)" && a.Detail == "GT A (détenteur)");

        // The scenario's acts, in the order they were done, each by the coordonnateur.
        var scenario = all.Where(a => a.At >= fixture.ScenarioStart).ToList();
        Assert.Equal(
            [("Rôle accordé", membreB), ("Rôle retiré", membreB), ("Accès suspendus", membreA), ("Suspension levée", membreA), ("Partenaire inscrit à l'annuaire", null)],
            scenario.Select(a => (a.Act, a.Member)));
        Assert.All(scenario, a => Assert.Equal((coordinator, Council.Id(Council.Coordonnateur)), (a.By, a.ById!.Value)));
        Assert.Contains("Mission locale du test", scenario[^1].Detail);
        Assert.DoesNotContain("consultation-injustifiee", scenario[2].Detail);
    }

    [Fact]
    public async Task The_filters_keep_one_kind_and_one_period()
    {
        var suspensions = (await ActsAsync($"&kind={AdministrativeActKinds.Suspensions}")).Items;
        Assert.Equal(["Accès suspendus", "Suspension levée"], suspensions.Select(a => a.Act));
        var since = Uri.EscapeDataString(fixture.ScenarioStart.ToString("O"));
        var roles = await ActsAsync($"&kind={AdministrativeActKinds.Roles}&from={since}");
        Assert.Equal(2, roles.TotalCount);
        await Answers.ProblemAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/administrative-acts?kind=inconnu"), 400);

        using var client = await Service.PageClientAsync(Council.Auditeur);
        var page = await client.GetStringAsync($"/c/{Council.Code}/journal/actes-administratifs?type={AdministrativeActKinds.Suspensions}");
        Assert.Contains("Accès suspendus", page);
        Assert.Contains("Suspension levée", page);
        Assert.DoesNotContain("Rôle accordé", page);
        var csv = await client.GetAsync($"/c/{Council.Code}/journal/actes-administratifs?handler=Export&type={AdministrativeActKinds.Roles}");
        await Answers.ExpectAsync(csv, 200);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("horodatage_utc;type;acte", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("Rôle accordé", lines[1]);
        Assert.Contains("Rôle retiré", lines[2]);
    }

    [Fact]
    public async Task No_one_but_the_auditeur_reads_the_trail()
    {
        foreach (var subject in new[] { Council.Coordonnateur, Council.President, Council.MemberOfHoldingGroup, Council.Animateur })
        {
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Council.Api}/journal/administrative-acts"), 403);
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Council.Api}/journal/administrative-acts/export"), 403);
            using var client = await Service.PageClientAsync(subject);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/c/{Council.Code}/journal/actes-administratifs")).StatusCode);
        }
    }
}
