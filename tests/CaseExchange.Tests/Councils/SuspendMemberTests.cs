using System.Net;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Members;
using CaseExchange.Journal;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

/// <summary>Charte: "suspension immédiate, à titre conservatoire" of a member's accesses, and its lifting.</summary>
public sealed class SuspendMemberTests
{
    [Fact]
    public void A_suspension_records_its_reason_author_and_instant_and_keeps_roles_until_reinstated()
    {
        var member = AMember(null, Roles.Auditeur);
        var suspended = SuspendMemberUseCase.DecideSuspension(member, new SuspendMember("manquement-presume"), Coordinator, Now);
        Assert.Equal((member.Id, "manquement-presume", Coordinator, Now), (suspended.MemberId, suspended.Reason, suspended.SuspendedBy, suspended.At));
        member.Apply(suspended);
        Assert.Equal((false, true), (member.Active, member.Suspended));
        Assert.Equal([Roles.Auditeur], member.CouncilRoles);

        var reinstated = SuspendMemberUseCase.DecideReinstatement(member, new ReinstateMember("manquement-non-etabli"), Coordinator, Now.AddDays(3));
        Assert.Equal((member.Id, "manquement-non-etabli", Coordinator, Now.AddDays(3)), (reinstated.MemberId, reinstated.Reason, reinstated.ReinstatedBy, reinstated.At));
        member.Apply(reinstated);
        Assert.Equal((true, false), (member.Active, member.Suspended));
        Assert.Equal([Roles.Auditeur], member.CouncilRoles);
    }

    [Fact]
    public void A_suspended_member_is_refused_what_a_deactivated_one_is()
    {
        var council = ACouncil();
        var suspended = AMember(null, Roles.Coordonnateur);
        suspended.Apply(new CharterSigned(suspended.Id, Policy.Version, Policy.Fingerprint, Now));
        Assert.True(AccessRules.OrderErasure(Policy, suspended, council).Allowed);
        suspended.Apply(new MemberSuspended(suspended.Id, "compte-compromis", Coordinator, Now));
        var deactivated = AMember(null, Roles.Coordonnateur);
        deactivated.Apply(new CharterSigned(deactivated.Id, Policy.Version, Policy.Fingerprint, Now));
        deactivated.Apply(new MemberDeactivated(deactivated.Id, Coordinator, Now));

        foreach (var member in new[] { suspended, deactivated })
        {
            Assert.Equal(Refusals.NotACouncilMember, AccessRules.OrderErasure(Policy, member, council).Refusal);
            Assert.Equal(Refusals.NotACouncilMember, AccessRules.AnswerAccessRequest(Policy, member, council).Refusal);
            Assert.Equal(Refusals.NotACouncilMember, AccessRules.CouncilCapability(Policy, member, Capabilities.ManageCouncil).Refusal);
        }
    }

    [Fact]
    public void Only_an_active_member_other_than_oneself_is_suspended_and_only_a_suspended_one_reinstated()
    {
        var command = new SuspendMember("manquement-presume");
        Assert.Contains("propre compte", Conflict(() => SuspendMemberUseCase.DecideSuspension(AMember(Coordinator), command, Coordinator, Now)));
        var suspended = AMember();
        suspended.Apply(new MemberSuspended(suspended.Id, "manquement-presume", Coordinator, Now));
        Assert.Equal("Ce membre est déjà suspendu.", Conflict(() => SuspendMemberUseCase.DecideSuspension(suspended, command, Coordinator, Now)));
        var gone = AMember();
        gone.Apply(new MemberDeactivated(gone.Id, Coordinator, Now));
        Assert.Contains("désactivé", Conflict(() => SuspendMemberUseCase.DecideSuspension(gone, command, Coordinator, Now)));
        Assert.Contains("désactivé", Conflict(() => SuspendMemberUseCase.DecideReinstatement(gone, new ReinstateMember("suspension-erronee"), Coordinator, Now)));
        Assert.Equal("Ce membre n'est pas suspendu.",
            Conflict(() => SuspendMemberUseCase.DecideReinstatement(AMember(), new ReinstateMember("suspension-erronee"), Coordinator, Now)));
    }

    [Fact]
    public void The_reasons_come_from_the_charter_lists()
    {
        Assert.Empty(Fields(SuspendMemberUseCase.Check(new SuspendMember("divulgation-presumee"), Policy)));
        Assert.Equal(["Le motif de la suspension doit être choisi dans la liste de la charte."],
            Fields(SuspendMemberUseCase.Check(new SuspendMember("il a bavardé"), Policy))["reason"]);
        Assert.True(Fields(SuspendMemberUseCase.Check(new ReinstateMember(null), Policy)).ContainsKey("reason"));
        Assert.True(Fields(SuspendMemberUseCase.Check(new ReinstateMember("manquement-presume"), Policy)).ContainsKey("reason"));
    }
}

public sealed class SuspendMemberHttpFixture : CouncilFixture;

public sealed class SuspendMemberHttpTests(SuspendMemberHttpFixture fixture) : IClassFixture<SuspendMemberHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task A_suspended_member_s_opening_is_refused_and_journalled_and_reinstatement_restores_access()
    {
        var situation = await fixture.Steps.ReferredAsync();
        var member = Council.Id(Council.MemberOfHoldingGroup);
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, situation), 200);

        var suspended = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{member}/suspension",
            new { reason = "consultation-injustifiee" });
        Assert.Equal((false, true), (suspended.GetProperty("active").GetBoolean(), suspended.GetProperty("suspended").GetBoolean()));

        var refused = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, situation), 403);
        Assert.Equal($"urn:caseexchange:problem:forbidden:{Refusals.NotACouncilMember}", refused.GetProperty("type").GetString());
        var last = (await Service.JournalAsync(Council.Code, situation)).Last();
        Assert.Equal((JournalActions.FileOpening, false, Refusals.NotACouncilMember, Council.MemberOfHoldingGroup),
            (last.Action, last.Granted, last.Refusal, last.Subject));
        using (var page = await Service.PageClientAsync(Council.MemberOfHoldingGroup))
            Assert.Equal(HttpStatusCode.Forbidden, (await page.GetAsync($"/c/{Council.Code}/situations")).StatusCode);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{member}/suspension",
            new { reason = "manquement-presume" }), 409);

        var reinstated = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{member}/reinstatement",
            new { reason = "manquement-non-etabli" });
        Assert.True(reinstated.GetProperty("active").GetBoolean());
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, situation), 200);
        Assert.True((await Service.JournalAsync(Council.Code, situation)).Last().Granted);
    }

    [Fact]
    public async Task A_reason_outside_the_list_is_400_and_nothing_is_appended()
    {
        var member = await fixture.Steps.NewMemberAsync();
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{member}/suspension",
            new { reason = "parce-que" }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(before, await Service.EventCountAsync());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{member}/reinstatement",
            new { reason = "manquement-non-etabli" }), 409);
    }

    [Fact]
    public async Task The_members_page_suspends_keeps_a_refused_choice_and_lifts_the_suspension()
    {
        var member = await fixture.Steps.NewMemberAsync();
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/membres";
        var token = await Pages.AntiforgeryTokenAsync(client, url);
        var missing = await client.PostAsync($"{url}?handler=Suspendre&memberId={member}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["reason"] = "",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var again = await missing.Content.ReadAsStringAsync();
        Assert.Contains("Le motif de la suspension doit être choisi dans la liste de la charte.", again);
        Assert.Contains($"href=\"#{MembresModel.ReasonKey(member)}\"", again);

        var done = await client.PostAsync($"{url}?handler=Suspendre&memberId={member}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["reason"] = "compte-compromis",
        }));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{member}");
        Assert.True(view.GetProperty("suspended").GetBoolean());
        var page = await client.GetStringAsync(url);
        Assert.Contains("suspendus à titre conservatoire", page);
        Assert.Contains("Lever la suspension", page);

        var lifted = await client.PostAsync($"{url}?handler=Reactiver&memberId={member}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["reason"] = "compte-securise",
        }));
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.True((await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{member}")).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task The_members_page_deactivates_a_suspended_member_once_confirmed()
    {
        var member = await fixture.Steps.NewMemberAsync();
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{member}/suspension", new { reason = "divulgation-presumee" });
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/membres";
        var token = await Pages.AntiforgeryTokenAsync(client, url);
        var before = await Service.EventCountAsync();
        var unconfirmed = await client.PostAsync($"{url}?handler=Desactiver&memberId={member}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Cochez la case pour confirmer la désactivation", await unconfirmed.Content.ReadAsStringAsync());
        Assert.Equal(before, await Service.EventCountAsync());

        var done = await client.PostAsync($"{url}?handler=Desactiver&memberId={member}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["confirm"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{member}");
        Assert.Equal((false, false), (view.GetProperty("active").GetBoolean(), view.GetProperty("suspended").GetBoolean()));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/members/{member}/reinstatement",
            new { reason = "suspension-erronee" }), 409);
    }
}
