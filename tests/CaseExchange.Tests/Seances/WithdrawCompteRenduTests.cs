using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Seances;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class WithdrawCompteRenduFixture : SeanceCouncilFixture;

/// <summary>Withdrawing a CR version: check and decision without a database, then the 400 and 409 answers.</summary>
public sealed class WithdrawCompteRenduTests(WithdrawCompteRenduFixture fixture) : IClassFixture<WithdrawCompteRenduFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    private const string Reason = "erreur-materielle";

    [Fact]
    public void A_reason_from_the_charter_and_the_version_seen_are_required()
    {
        Assert.Equal(["reason", "expectedVersion"], Fields(WithdrawCompteRenduUseCase.Check(null, Policy)));
        Assert.Equal(["reason"], Fields(WithdrawCompteRenduUseCase.Check(new WithdrawCompteRendu("parce que", 4), Policy)));
        Assert.Equal(["expectedVersion"], Fields(WithdrawCompteRenduUseCase.Check(new WithdrawCompteRendu(Reason, null), Policy)));
        Assert.Empty(Fields(WithdrawCompteRenduUseCase.Check(new WithdrawCompteRendu(Reason, 4), Policy)));
    }

    [Fact]
    public void Only_an_existing_version_not_yet_withdrawn_is_withdrawn()
    {
        var seance = Seance(Group(), closed: true);
        seance.Apply(new CompteRenduGenerated(seance.Id, 1, null, "hash1", Author, Now));
        seance.Apply(new CompteRenduGenerated(seance.Id, 2, null, "hash2", Author, Now));
        seance.Apply(new CompteRenduWithdrawn(seance.Id, 1, Reason, Author, Now));

        Assert.Equal(new CompteRenduWithdrawn(seance.Id, 2, Reason, Author, Now), WithdrawCompteRenduUseCase.Decide(seance, 2, Reason, Author, Now));
        Assert.Contains("déjà retirée", OutOfOrder(() => WithdrawCompteRenduUseCase.Decide(seance, 1, Reason, Author, Now)));
        Assert.Equal(404, Refusal(() => WithdrawCompteRenduUseCase.Decide(seance, 3, Reason, Author, Now)).Status);
    }

    private async Task<(Guid SeanceId, int Number)> VersionAsync()
    {
        var seanceId = await Steps.ScheduleAsync();
        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur]), 200);
        await Answers.ExpectAsync(await Steps.CloseAsync(seanceId), 200);
        var response = await Steps.GenerateAsync(seanceId, "Synthèse des échanges.");
        await Answers.ExpectAsync(response, 201);
        return (seanceId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32());
    }

    private async Task<HttpResponseMessage> WithdrawAsync(Guid seanceId, int number, object body) =>
        await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/compte-rendu/versions/{number}/withdrawals", body);

    [Fact]
    public async Task A_reason_outside_the_charter_is_refused_with_400_journalled_and_nothing_else_is_appended()
    {
        var (seanceId, number) = await VersionAsync();
        var before = await Service.NonJournalEventCountAsync();
        var problem = await Answers.ProblemAsync(await WithdrawAsync(seanceId, number,
            new { reason = "texte libre", expectedVersion = await Steps.SeanceVersionAsync(seanceId) }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }

    [Fact]
    public async Task A_version_withdrawn_twice_or_on_a_stale_version_is_refused_with_409_and_nothing_else_is_appended()
    {
        var (seanceId, number) = await VersionAsync();
        var stale = await Answers.ProblemAsync(await WithdrawAsync(seanceId, number,
            new { reason = Reason, expectedVersion = await Steps.SeanceVersionAsync(seanceId) - 1 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        await Answers.ExpectAsync(await WithdrawAsync(seanceId, number, new { reason = Reason, expectedVersion = await Steps.SeanceVersionAsync(seanceId) }), 200);

        var before = await Service.NonJournalEventCountAsync();
        var twice = await Answers.ProblemAsync(await WithdrawAsync(seanceId, number,
            new { reason = Reason, expectedVersion = await Steps.SeanceVersionAsync(seanceId) }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", twice.GetProperty("type").GetString());
        Assert.Equal(before, await Service.NonJournalEventCountAsync());
    }
}
