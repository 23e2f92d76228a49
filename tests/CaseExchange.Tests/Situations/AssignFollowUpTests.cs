using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Protection;
using CaseExchange.Situations.FollowUp;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The follow-up assignment's pure check and decision, then its 400 and 409 answers through HTTP.</summary>
public sealed class AssignFollowUpTests
{
    private static readonly Partner Ccas = new(Guid.CreateVersion7(), "CCAS", "travailleur-social");
    private static readonly Council Council = new() { CharterVersionInForce = Policy.Version, Partners = [Ccas] };
    private static readonly Member Referent = new() { Id = Guid.CreateVersion7(), Active = true, SignedCharterVersions = [Policy.Version] };

    private static Group Holding(SituationHistory history, params Member[] members)
    {
        var group = new Group { Id = history.GroupId };
        foreach (var member in members) group.Members[member.Id] = "membre";
        return group;
    }

    private static ActionInClear Action(string? kind = "contact-famille", Guid? owner = null, int dueInDays = 20, string? description = "Appeler la famille") =>
        new(kind, owner ?? Ccas.Id, Today.AddDays(dueInDays), description);

    [Fact]
    public void Check_passes_a_signed_referent_of_the_holding_group_and_a_complete_action()
    {
        var history = Referred();
        var command = new AssignFollowUp(Referent.Id, [Action(), Action("mediation", dueInDays: 0)], 3);
        Assert.Empty(ErrorsOf(AssignFollowUpUseCase.Check(command, Referent, Holding(history, Referent), Council, Policy, Today)));
    }

    [Fact]
    public void Check_refuses_a_referent_outside_the_group_unsigned_or_inactive()
    {
        var history = Referred();
        var command = new AssignFollowUp(Referent.Id, [Action()], 3);
        Assert.Equal(["Le référent doit être un membre actif du groupe qui détient la situation."],
            ErrorsOf(AssignFollowUpUseCase.Check(command, Referent, Holding(history), Council, Policy, Today))["referentId"]);
        Assert.True(ErrorsOf(AssignFollowUpUseCase.Check(command, null, Holding(history), Council, Policy, Today)).ContainsKey("referentId"));

        var unsigned = new Member { Id = Guid.CreateVersion7(), Active = true };
        Assert.Equal(["Le référent doit avoir signé la charte en vigueur."],
            ErrorsOf(AssignFollowUpUseCase.Check(command with { ReferentId = unsigned.Id }, unsigned, Holding(history, unsigned), Council, Policy, Today))["referentId"]);
        var inactive = new Member { Id = Guid.CreateVersion7(), Active = false, SignedCharterVersions = [Policy.Version] };
        Assert.True(ErrorsOf(AssignFollowUpUseCase.Check(command with { ReferentId = inactive.Id }, inactive, Holding(history, inactive), Council, Policy, Today))
            .ContainsKey("referentId"));
    }

    [Fact]
    public void Check_refuses_no_action_and_each_field_of_an_incomplete_action()
    {
        var history = Referred();
        var group = Holding(history, Referent);
        Assert.Equal(["Indiquez au moins une action."],
            ErrorsOf(AssignFollowUpUseCase.Check(new AssignFollowUp(Referent.Id, null, 3), Referent, group, Council, Policy, Today))["actions"]);

        var errors = ErrorsOf(AssignFollowUpUseCase.Check(new AssignFollowUp(Referent.Id,
            [Action(), Action("inventee", Guid.NewGuid(), -1, " "), new ActionInClear("mediation", null, null, "Sans échéance")], 3),
            Referent, group, Council, Policy, Today));
        Assert.DoesNotContain(errors.Keys, k => k.StartsWith("actions[0]"));
        Assert.Equal(["Le type d'action doit être choisi dans la liste de la charte."], errors["actions[1].kind"]);
        Assert.Equal([CaseExchange.Councils.Partners.PartnerDirectory.ChooseFromDirectory], errors["actions[1].ownerPartnerId"]);
        Assert.Equal(["L'échéance ne peut pas être passée."], errors["actions[1].dueOn"]);
        Assert.Equal(["La description de l'action est obligatoire."], errors["actions[1].description"]);
        Assert.Equal([CaseExchange.Councils.Partners.PartnerDirectory.ChooseFromDirectory], errors["actions[2].ownerPartnerId"]);
        Assert.Equal(["L'échéance est obligatoire."], errors["actions[2].dueOn"]);
    }

    [Fact]
    public void Decide_entrusts_the_follow_up_with_owners_copied_from_the_directory_and_descriptions_sealed()
    {
        var history = Referred().Examined(Guid.NewGuid());
        var assigned = AssignFollowUpUseCase.Decide(history.Situation, new AssignFollowUp(Referent.Id, [Action(description: " Appeler la famille ")], 3),
            Council, Policy, history.Sealer, history.ActorId, Now);

        Assert.Equal((history.Id, Referent.Id, history.ActorId, Now), (assigned.SituationId, assigned.ReferentId, assigned.AssignedBy, assigned.At));
        var action = Assert.Single(assigned.Actions);
        Assert.Equal(("contact-famille", "CCAS", Policy.PartnerRoles.LabelOf("travailleur-social"), Today.AddDays(20)),
            (action.Kind, action.OwnerOrganisation, action.OwnerRole, action.DueOn));
        Assert.Equal("Appeler la famille", history.Open(SealedFields.ActionDescription, action.Description));

        history.Situation.Apply(assigned);
        Assert.Equal(Referent.Id, history.Situation.ReferentId);
        Assert.Equal("en-cours", history.Situation.Actions.Single().Status);
    }

    [Fact]
    public void Decide_refuses_a_situation_not_yet_examined_closed_or_erased()
    {
        var command = new AssignFollowUp(Referent.Id, [Action()], 3);
        string Refusal(SituationHistory h) => OutOfOrder(() => AssignFollowUpUseCase.Decide(h.Situation, command, Council, Policy, h.Sealer, h.ActorId, Now));

        Assert.Equal("Un suivi ne peut être confié qu'après l'examen de la situation par le groupe.", Refusal(Referred()));
        Assert.Contains("clôturée", Refusal(Referred().Examined(Guid.NewGuid()).Closed()));
        Assert.Contains("effacées", Refusal(Referred().Examined(Guid.NewGuid()).Erased()));
    }
}

public sealed class AssignFollowUpHttpFixture : CouncilFixture;

public sealed class AssignFollowUpHttpTests(AssignFollowUpHttpFixture fixture) : IClassFixture<AssignFollowUpHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private async Task<object> BodyAsync(long expectedVersion, string referent) => new
    {
        referentId = Council.Id(referent), expectedVersion,
        actions = new[] { new { kind = "contact-famille", ownerPartnerId = await Council.PartnerAsync(Service),
            dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), description = "Action fictive" } },
    };

    [Fact]
    public async Task A_referent_outside_the_holding_group_gets_a_validation_problem_and_nothing_is_appended()
    {
        var id = await fixture.Steps.ExaminedAsync();
        // The body first: its partner is registered on first use, an event of its own.
        var body = await BodyAsync(3, Council.MemberOfOtherGroup);
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/follow-up", body), 400);

        Assert.Equal("urn:caseexchange:problem:validation", problem.GetProperty("type").GetString());
        Assert.Equal("Le référent doit être un membre actif du groupe qui détient la situation.",
            problem.GetProperty("errors").GetProperty("referentId")[0].GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task An_assignment_from_a_stale_version_gets_409_with_the_current_version()
    {
        var id = await fixture.Steps.ExaminedAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/follow-up",
            await BodyAsync(2, Council.Referent)), 409);

        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(3, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task Assigning_the_follow_up_of_a_closed_situation_gets_409_out_of_order()
    {
        var id = await fixture.Steps.ClosedAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/follow-up",
            await BodyAsync(4, Council.Referent)), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", problem.GetProperty("type").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_valid_assignment_answers_the_new_version()
    {
        var id = await fixture.Steps.ExaminedAsync();
        var changed = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/follow-up", await BodyAsync(3, Council.Referent));
        Assert.Equal(4, changed.GetProperty("version").GetInt64());
    }
}
