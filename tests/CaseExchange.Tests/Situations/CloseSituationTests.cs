using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Protection;
using CaseExchange.Situations;
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

    [Fact]
    public void Decide_refuses_a_closure_while_an_action_is_still_running_unless_the_command_states_it()
    {
        var history = Referred().Examined(Guid.NewGuid()).FollowedUp(Guid.NewGuid(), Guid.NewGuid());
        Assert.Single(CloseSituationUseCase.RunningActions(history.Situation));
        var detail = OutOfOrder(() => CloseSituationUseCase.Decide(history.Situation, new CloseSituation("sans-objet", null, 4), null, history.ActorId, Now));
        Assert.StartsWith("Une action décidée pour cette situation est encore en cours", detail);
        Assert.Contains("despiteRunningActions", detail);

        var closed = CloseSituationUseCase.Decide(history.Situation, new CloseSituation("sans-objet", null, 4, DespiteRunningActions: true), null, history.ActorId, Now);
        Assert.Equal("sans-objet", closed.Outcome);
    }

    [Fact]
    public void Decide_closes_without_a_statement_once_every_action_is_done_or_abandoned()
    {
        var history = Referred().Examined(Guid.NewGuid()).FollowedUp(Guid.NewGuid(), Guid.NewGuid(), status: "realisee");
        Assert.Empty(CloseSituationUseCase.RunningActions(history.Situation));
        CloseSituationUseCase.RequireNoRunningActionUnlessStated(history.Situation, new CloseSituation("sans-objet", null, 5));
        Assert.Equal("sans-objet", CloseSituationUseCase.Decide(history.Situation, new CloseSituation("sans-objet", null, 5), null, history.ActorId, Now).Outcome);
    }

    [Fact]
    public void The_refusal_counts_the_running_actions_and_names_no_one()
    {
        var history = Referred().Examined(Guid.NewGuid()).FollowedUp(Guid.NewGuid(), Guid.NewGuid());
        history.Situation.Apply(new FollowUpAssigned(history.Id, Guid.NewGuid(),
            [new PlannedAction(Guid.NewGuid(), "orientation-dispositif", "Mission locale", "Conseiller", Today.AddDays(40), new SealedText("v1:AAAA"))],
            history.ActorId, Now.AddDays(-6)));
        var detail = OutOfOrder(() => CloseSituationUseCase.RequireNoRunningActionUnlessStated(history.Situation, new CloseSituation("sans-objet", null, 5)));
        Assert.StartsWith("2 actions décidées pour cette situation sont encore en cours", detail);
        Assert.DoesNotContain("CCAS", detail);
        Assert.DoesNotContain("Mission locale", detail);
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

    [Fact]
    public async Task A_closure_while_an_action_is_running_gets_409_unless_stated_and_nothing_is_appended()
    {
        var followed = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var url = $"{Council.Api}/situations/{followed.Situation}/closure";
        var before = await Service.NonJournalEventCountAsync();
        var refused = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url,
            new { outcome = "relais-dispositif", comment = "Commentaire fictif", expectedVersion = followed.Version }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", refused.GetProperty("type").GetString());
        Assert.StartsWith("Une action décidée pour cette situation est encore en cours", refused.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        var closed = await Service.PostJsonAsync<JsonElement>(Council.Animateur, url,
            new { outcome = "relais-dispositif", expectedVersion = followed.Version, despiteRunningActions = true });
        Assert.Equal(followed.Version + 1, closed.GetProperty("version").GetInt64());
    }
}

/// <summary>The closure page: the lead's form, the running actions by kind and due date, a refusal that keeps what was typed.</summary>
public sealed class CloseSituationPageFixture : CouncilFixture;

public sealed class CloseSituationPageTests(CloseSituationPageFixture fixture) : IClassFixture<CloseSituationPageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task The_situation_page_leads_to_the_closure_form_of_an_examined_situation()
    {
        var id = await fixture.Steps.ExaminedAsync();
        using var client = await Service.PageClientAsync(Council.Animateur);
        var page = await client.GetStringAsync($"/c/{Council.Code}/situations/{id}");
        Assert.Contains($"/c/{Council.Code}/situations/{id}/cloture", page);
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        Assert.DoesNotContain("/cloture", await member.GetStringAsync($"/c/{Council.Code}/situations/{id}"));
    }

    [Fact]
    public async Task A_closure_refused_for_a_running_action_keeps_the_form_then_closes_once_stated()
    {
        var followed = await fixture.Steps.FollowedUpAsync(Council.Referent);
        using var client = await Service.PageClientAsync(Council.Animateur);
        var url = $"/c/{Council.Code}/situations/{followed.Situation}/cloture";
        var form = await client.GetStringAsync(url);
        Assert.Contains("Actions encore en cours", form);
        Assert.Contains("Prise de contact avec la famille", form);
        Assert.DoesNotContain("Action fictive", form);

        var before = await Service.NonJournalEventCountAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(form),
            ["Input.Outcome"] = "relais-dispositif",
            ["Input.Comment"] = "Commentaire saisi Quiproquo",
            ["Input.ExpectedVersion"] = followed.Version.ToString(),
        };
        var refused = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var again = await refused.Content.ReadAsStringAsync();
        Assert.Contains("encore en cours", again);
        Assert.Contains("Commentaire saisi Quiproquo", again);
        Assert.Matches("<option[^>]*selected=\"selected\"[^>]*value=\"relais-dispositif\"|<option[^>]*value=\"relais-dispositif\"[^>]*selected", again);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        fields["Input.DespiteRunningActions"] = "true";
        var closed = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{followed.Situation}");
        Assert.Equal("cloturee", view.GetProperty("status").GetString());
        Assert.Equal("relais-dispositif", view.GetProperty("outcome").GetString());
    }

    private static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
}
