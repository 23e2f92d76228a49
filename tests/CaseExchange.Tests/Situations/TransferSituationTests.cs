using System.Text.Json;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Situations.Transfer;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The transfer's pure check and decision, then its 400 and 409 answers through HTTP.</summary>
public sealed class TransferSituationTests
{
    private static Group GroupB() => new() { Id = Guid.CreateVersion7(), Name = "GT B" };

    [Fact]
    public void Check_passes_a_transfer_to_another_group_with_a_reason()
    {
        var history = Referred();
        Assert.Empty(ErrorsOf(TransferSituationUseCase.Check(new TransferSituation(Guid.NewGuid(), "Relève du secteur sud", 1), history.Situation, GroupB())));
    }

    [Fact]
    public void Check_refuses_an_unknown_group_and_a_missing_reason()
    {
        var errors = ErrorsOf(TransferSituationUseCase.Check(new TransferSituation(Guid.NewGuid(), "  ", 1), Referred().Situation, null));
        Assert.Equal(["Groupe de destination introuvable dans ce conseil."], errors["toGroupId"]);
        Assert.Equal(["Le motif du transfert est obligatoire."], errors["reason"]);
    }

    [Fact]
    public void Check_refuses_the_group_that_already_holds_the_situation_and_a_reason_too_long()
    {
        var history = Referred();
        var holding = new Group { Id = history.GroupId };
        var errors = ErrorsOf(TransferSituationUseCase.Check(
            new TransferSituation(holding.Id, new string('x', TransferSituationUseCase.MaxReasonLength + 1), 1), history.Situation, holding));
        Assert.Equal(["La situation est déjà détenue par ce groupe."], errors["toGroupId"]);
        Assert.Contains("ne doit pas dépasser 1000 caractères", Assert.Single(errors["reason"]));
    }

    [Fact]
    public void Decide_moves_the_situation_from_its_group_to_the_destination_with_the_reason_sealed()
    {
        var history = Referred();
        var destination = GroupB();
        var transferred = TransferSituationUseCase.Decide(history.Situation, destination, new TransferSituation(destination.Id, "  Relève du sud  ", 1),
            history.Sealer, history.ActorId, Now);

        Assert.Equal((history.Id, history.GroupId, destination.Id, history.ActorId, Now),
            (transferred.SituationId, transferred.FromGroupId, transferred.ToGroupId, transferred.TransferredBy, transferred.At));
        Assert.DoesNotContain("Relève", transferred.Reason.Value);
        Assert.Equal("Relève du sud", history.Open(SealedFields.TransferReason, transferred.Reason));

        history.Situation.Apply(transferred);
        Assert.Equal(destination.Id, history.Situation.GroupId);
        Assert.Equal(1, history.Situation.TransferCount);
    }

    [Fact]
    public void Decide_refuses_a_closed_or_an_erased_situation()
    {
        var destination = GroupB();
        var command = new TransferSituation(destination.Id, "Motif", 1);
        var closed = Referred().Examined(Guid.NewGuid()).Closed();
        Assert.Contains("clôturée", OutOfOrder(() => TransferSituationUseCase.Decide(closed.Situation, destination, command, closed.Sealer, closed.ActorId, Now)));
        var erased = Referred().Erased();
        Assert.Contains("effacées", OutOfOrder(() => TransferSituationUseCase.Decide(erased.Situation, destination, command, erased.Sealer, erased.ActorId, Now)));
    }
}

public sealed class TransferSituationHttpFixture : CouncilFixture;

public sealed class TransferSituationHttpTests(TransferSituationHttpFixture fixture) : IClassFixture<TransferSituationHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task An_invalid_transfer_gets_a_validation_problem_and_appends_nothing()
    {
        var id = await fixture.Steps.ReferredAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupA, reason = "", expectedVersion = 1 }), 400);

        Assert.Equal("urn:caseexchange:problem:validation", problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal("La situation est déjà détenue par ce groupe.", errors.GetProperty("toGroupId")[0].GetString());
        Assert.True(errors.TryGetProperty("reason", out _));
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
        Assert.Equal(1, await Council.VersionOfAsync(Service, id));
    }

    [Fact]
    public async Task A_transfer_from_a_stale_version_gets_409_with_the_current_version()
    {
        var (id, _) = await fixture.Steps.OnAgendaAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Vu à la version 1", expectedVersion = 1 }), 409);

        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task Transferring_a_closed_situation_gets_409_out_of_order_and_appends_nothing()
    {
        var id = await fixture.Steps.ClosedAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Trop tard", expectedVersion = 4 }), 409);

        Assert.Equal("urn:caseexchange:problem:out-of-order", problem.GetProperty("type").GetString());
        Assert.Equal("Cette situation est clôturée : elle ne peut plus évoluer.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_valid_transfer_answers_the_new_version()
    {
        var id = await fixture.Steps.ReferredAsync();
        var changed = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Relève du secteur sud", expectedVersion = 1 });
        Assert.Equal(2, changed.GetProperty("version").GetInt64());
    }
}

/// <summary>The transfer page: the other groups of the council, a refusal that keeps what was typed, the same use case as the API.</summary>
public sealed class TransferSituationPageFixture : CouncilFixture;

public sealed class TransferSituationPageTests(TransferSituationPageFixture fixture) : IClassFixture<TransferSituationPageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task The_form_offers_the_other_groups_keeps_a_refused_reason_and_transfers_through_the_use_case()
    {
        var id = await fixture.Steps.ReferredAsync();
        using var client = await Service.PageClientAsync(Council.Animateur);
        Assert.Contains($"/c/{Council.Code}/situations/{id}/transfert", await client.GetStringAsync($"/c/{Council.Code}/situations/{id}"));
        var url = $"/c/{Council.Code}/situations/{id}/transfert";
        var form = await client.GetStringAsync(url);
        Assert.Contains($"value=\"{Council.GroupB}\"", form);
        Assert.DoesNotContain($"value=\"{Council.GroupA}\"", form);

        var before = await Service.NonJournalEventCountAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, url),
            ["Input.ToGroupId"] = "",
            ["Input.Reason"] = "Motif saisi Tarabiscoté",
            ["Input.ExpectedVersion"] = "1",
        };
        var refused = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var again = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Groupe de destination introuvable dans ce conseil.", again);
        Assert.Contains("Motif saisi Tarabiscoté", again);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        fields["Input.ToGroupId"] = Council.GroupB.ToString();
        var moved = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, moved.StatusCode);
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}");
        Assert.Equal(Council.GroupB, view.GetProperty("groupId").GetGuid());
    }

    [Fact]
    public async Task A_member_who_does_not_lead_the_group_gets_the_refusal_page()
    {
        var id = await fixture.Steps.ReferredAsync();
        using var client = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var response = await client.GetAsync($"/c/{Council.Code}/situations/{id}/transfert");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("/transfert", await client.GetStringAsync($"/c/{Council.Code}/situations/{id}"));
    }
}
