using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Journal;
using CaseExchange.Journal.Verification;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

public sealed class RefusalsFixture : ServiceFixture
{
    public TestCouncil Council { get; private set; } = null!;
    public TestCouncil Other { get; private set; } = null!;
    public string Deactivated { get; private set; } = null!;

    protected override async Task SeedAsync(TestService service)
    {
        Council = await TestCouncil.CreateAsync(service, "refus");
        Other = await TestCouncil.CreateAsync(service, "ailleurs");
        // A former coordonnateur: signed the charter, then deactivated.
        Deactivated = "refus.ancien-coordonnateur";
        var id = (await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members", new
        {
            subject = Deactivated, displayName = "Ancien coordonnateur", organisation = "Mairie", function = "Coordonnateur",
            councilRoles = new[] { Roles.Coordonnateur },
        }, 201)).GetProperty("memberId").GetGuid();
        var policy = service.Services.GetRequiredService<CharterPolicy>();
        await service.PostJsonAsync<JsonElement>(Deactivated, $"{Council.Api}/charter/signatures", new { version = policy.Version });
        await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{id}/deactivation", new { });
    }
}

/// <summary>
/// Issue 13, defect 4: every refusal of a nominative action is journalled, the caller judged before the request: erasure
/// orders by outsiders or that fail validation, a null body on file-openings, refused right-of-access requests; refusals
/// that name no situation go to the council's chain, which verification covers like any other.
/// </summary>
public sealed class RefusalsAreJournalledTests(RefusalsFixture fixture) : IClassFixture<RefusalsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private Task<HttpResponseMessage> OrderErasureAsync(string subject, Guid situation, object? body) =>
        SendJsonAsync(subject, $"{Council.Api}/situations/{situation}/erasure-orders", body is null ? "null" : JsonSerializer.Serialize(body));

    private async Task<HttpResponseMessage> SendJsonAsync(string subject, string url, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Service.TokenAsync(subject));
        return await Service.Client.SendAsync(request);
    }

    private Task<IReadOnlyList<AccessJournalled>> CouncilChainAsync() => Service.JournalAsync(Council.Code, JournalChains.CouncilSituationId);

    [Fact]
    public async Task Erasure_orders_by_outsiders_are_refused_and_journalled_on_the_situation_s_chain()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Dehors"), "Faits Dehors");
        var outsiders = new[] { fixture.Deactivated, fixture.Other.Coordonnateur, "refus.inconnu-du-conseil" };
        foreach (var outsider in outsiders)
        {
            var problem = await Answers.ProblemAsync(await OrderErasureAsync(outsider, id, new { reason = "decision-de-justice" }), 403);
            Assert.Equal($"urn:caseexchange:problem:forbidden:{Refusals.NotACouncilMember}", problem.GetProperty("type").GetString());
        }

        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(outsiders, entries.Select(e => e.Subject));
        Assert.All(entries, e =>
        {
            Assert.Equal(JournalActions.ErasureOrder, e.Action);
            Assert.False(e.Granted);
            Assert.Equal(Refusals.NotACouncilMember, e.Refusal);
            Assert.Equal("decision-de-justice", e.Purpose);
        });
        Assert.NotNull(entries[0].MemberId);
        Assert.Null(entries[2].MemberId);
    }

    [Fact]
    public async Task An_erasure_order_is_judged_before_it_is_read_and_an_invalid_one_is_journalled_too()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Invalide"), "Faits Invalide");
        var before = await Service.EventCountAsync();

        // Not entitled, and the order is unreadable: 403, journalled (not a 400 that would hide who asked).
        await Answers.ProblemAsync(await OrderErasureAsync(Council.Animateur, id, new { reason = "pas-dans-la-liste" }), 403);
        await Answers.ProblemAsync(await OrderErasureAsync(Council.MemberOfHoldingGroup, id, null), 403);
        // Entitled, but the order is invalid or empty: 400, journalled as a refused request.
        await Answers.ProblemAsync(await OrderErasureAsync(Council.Coordonnateur, id, new { reason = "pas-dans-la-liste" }), 400);
        await Answers.ProblemAsync(await OrderErasureAsync(Council.Coordonnateur, id, null), 400);

        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(
            [(Council.Animateur, Refusals.RoleNotAllowed), (Council.MemberOfHoldingGroup, Refusals.RoleNotAllowed),
             (Council.Coordonnateur, Refusals.InvalidRequest), (Council.Coordonnateur, Refusals.InvalidRequest)],
            entries.Select(e => (e.Subject, e.Refusal!)));
        Assert.All(entries, e => Assert.Null(e.Purpose));
        // Nothing but the four journal entries was written.
        Assert.Equal(before + 4, await Service.EventCountAsync());
    }

    [Fact]
    public async Task An_erasure_order_for_a_situation_the_council_does_not_hold_is_journalled_on_the_council_s_chain()
    {
        var before = (await CouncilChainAsync()).Count;
        await Answers.ProblemAsync(await OrderErasureAsync(Council.Coordonnateur, Guid.NewGuid(), new { reason = "decision-de-justice" }), 404);
        // An outsider learns nothing of existence: the same 403 as for a situation that exists.
        await Answers.ProblemAsync(await OrderErasureAsync(fixture.Other.Coordonnateur, Guid.NewGuid(), new { reason = "decision-de-justice" }), 403);

        var entries = (await CouncilChainAsync()).Skip(before).ToList();
        Assert.Equal([Refusals.UnknownSituation, Refusals.NotACouncilMember], entries.Select(e => e.Refusal));
        Assert.All(entries, e => Assert.Equal(JournalChains.CouncilPseudonym, e.Pseudonym));
    }

    [Fact]
    public async Task A_null_body_on_a_file_opening_is_a_400_and_a_journal_entry()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Nul"), "Faits Nul");
        var problem = await Answers.ProblemAsync(await SendJsonAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/situations/{id}/file-openings", "null"), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));
        await Answers.ProblemAsync(await SendJsonAsync(Council.MemberOfOtherGroup, $"{Council.Api}/situations/{id}/file-openings", "null"), 403);

        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal([(Council.MemberOfHoldingGroup, Refusals.InvalidRequest), (Council.MemberOfOtherGroup, Refusals.NotInHoldingGroup)],
            entries.Select(e => (e.Subject, e.Refusal!)));
        Assert.All(entries, e => Assert.False(e.Granted));
    }

    [Fact]
    public async Task Refused_right_of_access_requests_are_journalled_on_the_council_s_chain_and_verified()
    {
        var before = (await CouncilChainAsync()).Count;
        var body = JsonSerializer.Serialize(new { nom = "Personne", prenom = "Inconnue", dateNaissance = "2001-02-03" });
        foreach (var subject in new[] { Council.President, Council.Auditeur, fixture.Other.Coordonnateur, fixture.Deactivated })
            await Answers.ProblemAsync(await SendJsonAsync(subject, $"{Council.Api}/access-requests", body), 403);
        await Answers.ProblemAsync(await SendJsonAsync(Council.Coordonnateur, $"{Council.Api}/access-requests", "null"), 400);
        await Answers.ProblemAsync(await SendJsonAsync(Council.Coordonnateur, $"{Council.Api}/access-requests/document", "{\"nom\": \"Seul\"}"), 400);

        var entries = (await CouncilChainAsync()).Skip(before).ToList();
        Assert.Equal(
            [Refusals.RoleNotAllowed, Refusals.RoleNotAllowed, Refusals.NotACouncilMember, Refusals.NotACouncilMember,
             Refusals.InvalidRequest, Refusals.InvalidRequest],
            entries.Select(e => e.Refusal));
        Assert.All(entries, e => Assert.Equal((JournalActions.RightOfAccessExport, JournalActions.RightOfAccessPurpose, false),
            (e.Action, e.Purpose, e.Granted)));
        Assert.Equal(Enumerable.Range(before + 1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));

        // The auditor sees them with their replayed verdict; the council's chain verifies like any other.
        var page = await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym={JournalChains.CouncilPseudonym}&pageSize=200");
        Assert.True(page.GetProperty("items").GetArrayLength() >= entries.Count);
        var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, TestContext.Current.CancellationToken);
        Assert.True(report.Intact);
    }
}
