using CaseExchange.Journal;
using CaseExchange.Journal.Alerts;
using CaseExchange.Journal.MyTraces;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Journal;

/// <summary>
/// A council where member A opens a file in bursts near a séance of group A, member B is refused three times and opens
/// a file of group B (which never meets), and the référent opens A's referral.
/// </summary>
public sealed class JournalAlertsFixture : CouncilFixture
{
    public TestPerson PersonA { get; } = TestPerson.Distinctive("Alerteux");
    public TestPerson PersonB { get; } = TestPerson.Distinctive("Tracemoi");
    public ReferredSituation SituationA { get; private set; }
    public ReferredSituation SituationB { get; private set; }

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        // Group A meets in two days: A's openings prepare it.
        await service.PostJsonAsync<SeanceCreated>(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/seances",
            new { date = DateTimeOffset.UtcNow.AddDays(2) }, 201);
        SituationA = await Council.ReferAsync(service, PersonA, "Faits fictifs Alerteux");
        // Group B has no séance at all; its member refers there.
        SituationB = await ReferInGroupBAsync(service, PersonB);

        for (var i = 0; i < JournalAlertRules.MassOpeningThreshold + 1; i++)
            await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, SituationA.Id), 200);
        // A is refused on a file of group B: one of A's own traces.
        Assert.False((await service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, SituationB.Id)).IsSuccessStatusCode);

        for (var i = 0; i < JournalAlertRules.RefusalThreshold; i++)
            Assert.False((await service.OpenFileAsync(Council, Council.MemberOfOtherGroup, SituationA.Id)).IsSuccessStatusCode);
        await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.MemberOfOtherGroup, SituationB.Id), 200);
        // The référent (group A) opens the situation A referred: not one of A's traces.
        await Answers.ExpectAsync(await service.OpenFileAsync(Council, Council.Referent, SituationA.Id), 200);
    }

    private async Task<ReferredSituation> ReferInGroupBAsync(TestService service, TestPerson person)
    {
        var created = await service.PostJsonAsync<SituationCreated>(Council.MemberOfOtherGroup, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupB, reasons = new[] { "decrochage-scolaire" }, sector = "sud", urgency = "prioritaire",
            persons = new object[] { person.AsRequest(CaseExchange.Charter.PersonRoles.Followed) }, facts = "Faits fictifs du groupe B",
        }, 201);
        return new ReferredSituation(created.SituationId, created.Pseudonym, created.Version);
    }

    public IEnumerable<string> Leakables() => [.. PersonA.Leakables(), .. PersonB.Leakables()];
}

/// <summary>Issue 16, the DPO's kit: alerts on the auditeur's journal pages, and each member's own traces.</summary>
public sealed class JournalAlertsAndMyTracesTests(JournalAlertsFixture fixture) : IClassFixture<JournalAlertsFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private static void NoIdentity(string text, IEnumerable<string> leakables)
    {
        foreach (var value in leakables) Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_auditeur_finds_each_alert_named_by_member_pseudonyms_and_instants()
    {
        var result = await Service.GetJsonAsync<JournalAlertsResponse>(Council.Auditeur, $"{Council.Api}/journal/alerts");

        var mass = Assert.Single(result.Alerts, a => a.Kind == AlertKinds.MassOpenings);
        Assert.Equal(Council.Id(Council.MemberOfHoldingGroup), mass.MemberId);
        Assert.Equal("Membre membre-a", mass.MemberName);
        Assert.Equal(JournalAlertRules.MassOpeningThreshold + 1, mass.Count);
        Assert.Equal([fixture.SituationA.Pseudonym], mass.Pseudonyms);
        Assert.Equal(mass.Count, mass.Instants.Count);

        var refusals = Assert.Single(result.Alerts, a => a.Kind == AlertKinds.RepeatedRefusals);
        Assert.Equal((Council.Id(Council.MemberOfOtherGroup), Council.MemberOfOtherGroup, 3), (refusals.MemberId, refusals.Subject, refusals.Count));
        Assert.Equal([fixture.SituationA.Pseudonym], refusals.Pseudonyms);

        // Group B never meets: B's opening is far from any séance; A's and the référent's openings prepare group A's séance.
        var far = Assert.Single(result.Alerts, a => a.Kind == AlertKinds.FarFromSeance);
        Assert.Equal(Council.Id(Council.MemberOfOtherGroup), far.MemberId);
        Assert.Equal([fixture.SituationB.Pseudonym], far.Pseudonyms);
    }

    [Fact]
    public async Task Alerts_API_and_page_hold_no_identity_value()
    {
        var api = await (await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/alerts")).Content.ReadAsStringAsync();
        using var client = await Service.PageClientAsync(Council.Auditeur);
        var page = await client.GetStringAsync($"/c/{Council.Code}/journal/alertes");
        Assert.Contains(fixture.SituationA.Pseudonym, page);
        Assert.Contains("Ouvertures en nombre", page);
        Assert.Contains("Refus répétés", page);
        Assert.Contains("Membre membre-b", page);
        NoIdentity(api, fixture.Leakables());
        NoIdentity(page, fixture.Leakables());
    }

    [Fact]
    public async Task A_member_sees_their_own_openings_and_refusals_not_others_openings_of_their_referral()
    {
        var traces = await Service.GetJsonAsync<MyTracesResponse>(Council.MemberOfHoldingGroup, $"{Council.Api}/me/traces?pageSize=200");
        var openings = traces.Items.Where(t => t.Pseudonym == fixture.SituationA.Pseudonym && t.Action == JournalActions.FileOpening).ToList();
        // A's own openings, every one granted; the référent's opening of A's referral is not among them.
        Assert.Equal(JournalAlertRules.MassOpeningThreshold + 1, openings.Count);
        Assert.All(openings, t => Assert.True(t.Granted));
        Assert.All(openings, t => Assert.Equal(JournalTestSupport.Purpose, t.Purpose));
        // A's refused attempt on a situation of group B: A sees the attempt, not the pseudonym the refusal never told them.
        var refused = Assert.Single(traces.Items, t => !t.Granted);
        Assert.Null(refused.Pseudonym);
        Assert.NotNull(refused.RefusalLabel);
        Assert.DoesNotContain(traces.Items, t => t.Pseudonym == fixture.SituationB.Pseudonym);

        // The référent's trace is theirs; B's refusals on A's referral are B's.
        var referent = await Service.GetJsonAsync<MyTracesResponse>(Council.Referent, $"{Council.Api}/me/traces");
        Assert.Single(referent.Items, t => t.Pseudonym == fixture.SituationA.Pseudonym && t.Granted);
        var b = await Service.GetJsonAsync<MyTracesResponse>(Council.MemberOfOtherGroup, $"{Council.Api}/me/traces");
        Assert.Equal(3, b.Items.Count(t => t.Action == JournalActions.FileOpening && !t.Granted && t.Pseudonym is null));
        // B's own opening in group B, and none of A's or the référent's traces on group A.
        Assert.Single(b.Items, t => t.Pseudonym == fixture.SituationB.Pseudonym && t.Granted);
        Assert.DoesNotContain(b.Items, t => t.Pseudonym == fixture.SituationA.Pseudonym);
    }

    [Fact]
    public async Task The_page_of_my_traces_lists_my_entries_and_no_identity_value()
    {
        using var client = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var page = await client.GetStringAsync($"/c/{Council.Code}/mes-traces");
        Assert.Contains(fixture.SituationA.Pseudonym, page);
        Assert.DoesNotContain(fixture.SituationB.Pseudonym, page);
        Assert.Contains("Situation d&#x27;un autre groupe", page);
        Assert.Contains("Refusé", page);
        Assert.Contains("Accordé", page);
        Assert.Contains($"{JournalAlertRules.MassOpeningThreshold + 2} traces", page);
        Assert.Contains("href=\"/c/" + Council.Code + "/mes-traces\"", page);
        var api = await (await Service.GetAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/me/traces")).Content.ReadAsStringAsync();
        NoIdentity(page, fixture.Leakables());
        NoIdentity(api, fixture.Leakables());

        // The auditeur, who opened nothing, has no trace; the page says so.
        using var auditor = await Service.PageClientAsync(Council.Auditeur);
        Assert.Contains("Aucune trace à votre nom", await auditor.GetStringAsync($"/c/{Council.Code}/mes-traces"));
    }
}

/// <summary>A period that ends before it starts is a 400 problem, on the API and the page.</summary>
public sealed class JournalAlertsPeriodTests(JournalFixture fixture) : IClassFixture<JournalFixture>
{
    [Fact]
    public async Task An_inverted_period_is_refused_with_a_problem()
    {
        var council = fixture.Council;
        var problem = await Answers.ProblemAsync(await fixture.Service.GetAsync(council.Auditeur,
            $"{council.Api}/journal/alerts?from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z"), 400);
        Assert.True(problem.TryGetProperty("errors", out _));

        using var client = await fixture.Service.PageClientAsync(council.Auditeur);
        var page = await client.GetAsync($"/c/{council.Code}/journal/alertes?du=2026-03-10&au=2026-03-01");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("Le premier jour doit précéder le dernier.", await page.Content.ReadAsStringAsync());
        var ok = await client.GetStringAsync($"/c/{council.Code}/journal/alertes?du=2026-03-01&au=2026-03-10");
        Assert.Contains("Aucune alerte sur la période.", ok);
    }
}
