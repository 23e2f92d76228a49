using System.Text.Json;
using CaseExchange.Protection;
using CaseExchange.Situations.FollowUp;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The follow-up point's pure check and decision, then its 400 and 409 answers through HTTP.</summary>
public sealed class RecordFollowUpTests
{
    private static readonly Guid ReferentId = Guid.CreateVersion7();

    [Fact]
    public void Check_passes_a_status_of_the_list_and_a_note()
    {
        foreach (var status in new[] { "en-cours", "realisee", "abandonnee" })
            Assert.Empty(ErrorsOf(RecordFollowUpUseCase.Check(new RecordFollowUp(Guid.NewGuid(), status, "Famille rencontrée", 4), Policy)));
    }

    [Fact]
    public void Check_refuses_a_status_outside_the_list_a_missing_note_and_a_note_too_long()
    {
        var errors = ErrorsOf(RecordFollowUpUseCase.Check(new RecordFollowUp(Guid.NewGuid(), "oubliee", null, 4), Policy));
        Assert.Equal(["Le statut doit être choisi dans la liste (en cours, réalisée, abandonnée)."], errors["status"]);
        Assert.Equal(["La note de suivi est obligatoire."], errors["note"]);
        Assert.Contains("ne doit pas dépasser 2000 caractères", Assert.Single(ErrorsOf(RecordFollowUpUseCase.Check(
            new RecordFollowUp(Guid.NewGuid(), "realisee", new string('x', RecordFollowUpUseCase.MaxNoteLength + 1), 4), Policy))["note"]));
    }

    [Fact]
    public void Decide_records_the_point_with_its_note_sealed_and_the_action_takes_its_status()
    {
        var action = Guid.CreateVersion7();
        var history = Referred().Examined(Guid.NewGuid()).FollowedUp(ReferentId, action);
        var recorded = RecordFollowUpUseCase.Decide(history.Situation, new RecordFollowUp(action, "realisee", " Famille rencontrée ", 4),
            history.Sealer, ReferentId, Now);

        Assert.Equal((history.Id, action, "realisee", ReferentId, Now),
            (recorded.SituationId, recorded.ActionId, recorded.ActionStatus, recorded.RecordedBy, recorded.At));
        Assert.Equal("Famille rencontrée", history.Open(SealedFields.FollowUpNote, recorded.Note));
        history.Situation.Apply(recorded);
        Assert.Equal("realisee", history.Situation.Actions.Single().Status);
    }

    [Fact]
    public void Decide_refuses_an_action_of_another_follow_up_a_finished_action_and_a_closed_situation()
    {
        var action = Guid.CreateVersion7();
        string Refusal(SituationHistory h, Guid actionId) =>
            OutOfOrder(() => RecordFollowUpUseCase.Decide(h.Situation, new RecordFollowUp(actionId, "realisee", "Note", 4), h.Sealer, ReferentId, Now));

        var followed = Referred().Examined(Guid.NewGuid()).FollowedUp(ReferentId, action);
        Assert.Equal("Cette action ne fait pas partie du suivi de la situation.", Refusal(followed, Guid.NewGuid()));
        Assert.Equal("Cette action est déjà terminée (réalisée ou abandonnée).",
            Refusal(Referred().Examined(Guid.NewGuid()).FollowedUp(ReferentId, action, "abandonnee"), action));
        Assert.Contains("clôturée", Refusal(Referred().Examined(Guid.NewGuid()).FollowedUp(ReferentId, action).Closed(), action));
        Assert.Contains("effacées", Refusal(Referred().Examined(Guid.NewGuid()).FollowedUp(ReferentId, action).Erased(), action));
    }
}

public sealed class RecordFollowUpHttpFixture : CouncilFixture;

public sealed class RecordFollowUpHttpTests(RecordFollowUpHttpFixture fixture) : IClassFixture<RecordFollowUpHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task A_point_without_note_or_known_status_gets_a_validation_problem_and_appends_nothing()
    {
        var (id, action) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Referent, $"{Council.Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "oubliee", note = " ", expectedVersion = 4 }), 400);

        Assert.Equal("urn:caseexchange:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _));
        Assert.True(errors.TryGetProperty("note", out _));
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_point_from_a_stale_version_gets_409_with_the_current_version()
    {
        var (id, action) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Referent, $"{Council.Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "realisee", note = "Famille rencontrée", expectedVersion = 3 }), 409);

        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(4, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_second_point_on_a_finished_action_gets_409_out_of_order()
    {
        var (id, action) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var done = await Service.PostJsonAsync<JsonElement>(Council.Referent, $"{Council.Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "realisee", note = "Famille rencontrée", expectedVersion = 4 });
        Assert.Equal(5, done.GetProperty("version").GetInt64());

        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Referent, $"{Council.Api}/situations/{id}/follow-up/records",
            new { actionId = action, status = "abandonnee", note = "Encore", expectedVersion = 5 }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", problem.GetProperty("type").GetString());
        Assert.Equal("Cette action est déjà terminée (réalisée ou abandonnée).", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }
}
