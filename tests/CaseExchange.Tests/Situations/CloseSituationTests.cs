using System.Text.Json;
using CaseExchange.Protection;
using CaseExchange.Situations.Closure;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The closure's pure check and decision, then its 400 and 409 answers through HTTP.</summary>
public sealed class CloseSituationTests
{
    [Fact]
    public void Check_passes_an_outcome_of_the_charter_with_or_without_a_comment()
    {
        Assert.Empty(ErrorsOf(CloseSituationUseCase.Check(new CloseSituation("sans-objet", null, 3), Policy)));
        Assert.Empty(ErrorsOf(CloseSituationUseCase.Check(new CloseSituation("relais-dispositif", "Relais pris", 3), Policy)));
    }

    [Fact]
    public void Check_refuses_an_outcome_outside_the_list_and_a_comment_too_long()
    {
        var errors = ErrorsOf(CloseSituationUseCase.Check(
            new CloseSituation("disparue", new string('x', CloseSituationUseCase.MaxCommentLength + 1), 3), Policy));
        Assert.Equal(["L'issue doit être choisie dans la liste de la charte."], errors["outcome"]);
        Assert.Contains("ne doit pas dépasser", Assert.Single(errors["comment"]));
        Assert.True(ErrorsOf(CloseSituationUseCase.Check(new CloseSituation(null, null, 3), Policy)).ContainsKey("outcome"));
    }

    [Fact]
    public void Decide_closes_an_examined_situation_with_its_comment_sealed()
    {
        var history = Referred().OnAgenda(Guid.NewGuid());
        history.Examined(history.Situation.Agenda[0].SeanceId);
        var closed = CloseSituationUseCase.Decide(history.Situation, new CloseSituation("sans-objet", " Plus d'objet ", 3), history.Sealer, history.ActorId, Now);

        Assert.Equal((history.Id, "sans-objet", history.ActorId, Now), (closed.SituationId, closed.Outcome, closed.ClosedBy, closed.At));
        Assert.Equal("Plus d'objet", history.Open(SealedFields.ClosureComment, closed.Comment!));
        history.Situation.Apply(closed);
        Assert.True(history.Situation.IsClosed);
    }

    [Fact]
    public void Decide_without_a_comment_needs_no_key()
    {
        var history = Referred().Examined(Guid.NewGuid());
        var closed = CloseSituationUseCase.Decide(history.Situation, new CloseSituation("sans-objet", "   ", 3), null, history.ActorId, Now);
        Assert.Null(closed.Comment);
    }

    [Fact]
    public void Decide_refuses_a_situation_never_examined_already_closed_or_erased()
    {
        var command = new CloseSituation("sans-objet", null, 3);
        var fresh = Referred();
        Assert.Equal("Une situation ne peut être clôturée qu'après avoir été examinée par le groupe.",
            OutOfOrder(() => CloseSituationUseCase.Decide(fresh.Situation, command, null, fresh.ActorId, Now)));
        var closed = Referred().Examined(Guid.NewGuid()).Closed();
        Assert.Contains("clôturée : elle ne peut plus évoluer", OutOfOrder(() => CloseSituationUseCase.Decide(closed.Situation, command, null, closed.ActorId, Now)));
        var erased = Referred().Examined(Guid.NewGuid()).Erased();
        Assert.Contains("effacées", OutOfOrder(() => CloseSituationUseCase.Decide(erased.Situation, command, null, erased.ActorId, Now)));
    }
}

public sealed class CloseSituationHttpFixture : CouncilFixture;

public sealed class CloseSituationHttpTests(CloseSituationHttpFixture fixture) : IClassFixture<CloseSituationHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task An_outcome_outside_the_list_gets_a_validation_problem_and_appends_nothing()
    {
        var id = await fixture.Steps.ExaminedAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/closure",
            new { outcome = "disparue", comment = "Commentaire", expectedVersion = 3 }), 400);

        Assert.Equal("urn:caseexchange:problem:validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("outcome", out _));
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_closure_without_an_expected_version_gets_400_and_one_from_a_stale_version_409()
    {
        var id = await fixture.Steps.ExaminedAsync();
        var before = await Service.NonJournalEventCountAsync();
        var missing = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/closure",
            new { outcome = "sans-objet" }), 400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("expectedVersion", out _));

        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/closure",
            new { outcome = "sans-objet", expectedVersion = 2 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(3, stale.GetProperty("currentVersion").GetInt64());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task Closing_twice_gets_409_out_of_order_the_second_time()
    {
        var id = await fixture.Steps.ClosedAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/closure",
            new { outcome = "sans-objet", comment = "Encore", expectedVersion = 4 }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", problem.GetProperty("type").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_valid_closure_answers_the_new_version()
    {
        var id = await fixture.Steps.ExaminedAsync();
        var closed = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/situations/{id}/closure",
            new { outcome = "situation-stabilisee", expectedVersion = 3 });
        Assert.Equal(4, closed.GetProperty("version").GetInt64());
    }
}
