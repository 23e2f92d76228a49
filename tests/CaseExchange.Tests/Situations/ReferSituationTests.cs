using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The referral's pure check and decision, then its 400 and 409 answers through HTTP.</summary>
public sealed class ReferSituationTests
{
    private static readonly Council Council = new() { Sectors = [new Sector("nord", "Quartier nord")] };
    private static readonly Group Group = new() { Id = Guid.CreateVersion7(), Name = "GT A" };
    private static readonly DateOnly Birth = Today.AddYears(-16).AddDays(-100);

    private static PersonInClear Person(string? role = PersonRoles.Followed, string? nom = "Zorglub") =>
        new(role, nom, "Philomène", "F", Birth, " 17 impasse des Quetzals ", null, null, null, null);

    private static ReferSituation Referral(params PersonInClear[] persons) =>
        new(Group.Id, ["errance", "decrochage-scolaire"], "nord", "prioritaire", persons.Length == 0 ? [Person()] : persons, " Faits fictifs ");

    [Fact]
    public void Check_passes_a_complete_referral()
    {
        Assert.Empty(ErrorsOf(ReferSituationUseCase.Check(Referral(Person(), Person("membre-famille")), Group, Council, Policy, Today)));
    }

    [Fact]
    public void Check_refuses_an_unknown_group_codes_outside_the_lists_and_missing_facts()
    {
        var errors = ErrorsOf(ReferSituationUseCase.Check(Referral() with { Reasons = ["inventee"], Sector = "est", Urgency = "extreme", FactsInClear = "" },
            null, Council, Policy, Today));
        Assert.Equal(["Choisissez un groupe de travail existant de ce conseil."], errors["groupId"]);
        Assert.Equal(["Les motifs doivent être choisis dans la liste fermée de la charte."], errors["reasons"]);
        Assert.Equal(["Choisissez un secteur du conseil."], errors["sector"]);
        Assert.Equal(["Choisissez un degré d'urgence dans la liste."], errors["urgency"]);
        Assert.Equal(["Le résumé des faits est obligatoire."], errors["facts"]);
        Assert.Equal(["Cochez au moins un motif de signalement."],
            ErrorsOf(ReferSituationUseCase.Check(Referral() with { Reasons = [] }, Group, Council, Policy, Today))["reasons"]);
    }

    [Fact]
    public void Check_needs_between_one_and_twelve_persons_one_of_them_followed_each_one_complete()
    {
        Assert.Equal(["Indiquez au moins une personne concernée."],
            ErrorsOf(ReferSituationUseCase.Check(Referral() with { Persons = [] }, Group, Council, Policy, Today))["persons"]);
        Assert.Equal([$"Une situation concerne au plus {ReferSituationUseCase.MaxPersons} personnes."],
            ErrorsOf(ReferSituationUseCase.Check(Referral([.. Enumerable.Repeat(Person(), ReferSituationUseCase.MaxPersons + 1)]), Group, Council, Policy, Today))["persons"]);
        var errors = ErrorsOf(ReferSituationUseCase.Check(Referral(Person("membre-famille"), Person("oncle", nom: null)), Group, Council, Policy, Today));
        Assert.Equal(["Au moins une personne doit être la personne suivie."], errors["persons"]);
        Assert.True(errors.ContainsKey("persons[1].role"));
        Assert.True(errors.ContainsKey("persons[1].nom"));
        Assert.DoesNotContain(errors.Keys, k => k.StartsWith("persons[0]"));
    }

    [Fact]
    public void Decide_keeps_codes_and_age_bands_in_clear_and_seals_identities_and_facts()
    {
        var history = new SituationHistory();
        var signaller = new Member { Id = history.ActorId, Organisation = "Mairie" };
        var referred = ReferSituationUseCase.Decide(Referral(Person(), Person("membre-famille")) with { Reasons = ["errance", "errance"] },
            history.Id, "S-2026-0042", signaller, history.Sealer, Policy, Now);

        Assert.Equal((history.Id, "S-2026-0042", Group.Id, "nord", "prioritaire", history.ActorId, "Mairie", Now),
            (referred.SituationId, referred.Pseudonym, referred.GroupId, referred.Sector, referred.Urgency, referred.SignalledBy, referred.SignallingOrganisation, referred.At));
        Assert.Equal(["errance"], referred.Reasons);
        Assert.Equal([(PersonRoles.Followed, "16-17"), ("membre-famille", "16-17")], referred.Persons.Select(p => (p.Role, p.AgeBand)));
        Assert.Equal("Faits fictifs", history.Open(SealedFields.Facts, referred.Facts));
        Assert.DoesNotContain("Zorglub", JsonSerializer.Serialize(referred));
        var identity = JsonSerializer.Deserialize<PersonIdentity>(history.Open(SealedFields.PersonIdentity, referred.Persons[0].Identity), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(("Zorglub", "17 impasse des Quetzals", Birth), (identity.Nom, identity.Adresse, identity.DateNaissance));

        history.Situation.Apply(referred);
        Assert.Equal("signalee", history.Situation.Status);
        Assert.Equal(2, history.Situation.AgeBands.Count);
    }
}

public sealed class ReferSituationHttpFixture : CouncilFixture;

public sealed class ReferSituationHttpTests(ReferSituationHttpFixture fixture) : IClassFixture<ReferSituationHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    private static object Body(Guid groupId, Guid? id = null, string facts = "Faits fictifs") => new
    {
        id, groupId, reasons = new[] { "errance" }, sector = "nord", urgency = "prioritaire",
        persons = new[] { TestPerson.Distinctive("Http").AsRequest(PersonRoles.Followed) }, facts,
    };

    [Fact]
    public async Task An_incomplete_referral_gets_a_validation_problem_and_appends_nothing()
    {
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/situations", new
        {
            groupId = Council.GroupA, reasons = new[] { "inventee" }, sector = "nord", urgency = "prioritaire", persons = Array.Empty<object>(), facts = "",
        }), 400);

        Assert.Equal("urn:caseexchange:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "reasons", "persons", "facts" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task An_id_already_used_by_another_member_gets_409_and_changes_nothing()
    {
        var id = Guid.CreateVersion7();
        var created = await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations", Body(Council.GroupA, id), 201);
        Assert.Equal(id, created.GetProperty("situationId").GetGuid());

        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations", Body(Council.GroupA, id)), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }
}
