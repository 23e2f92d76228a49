using System.Text.Json;
using CaseExchange.Seances.Agenda;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class PlaceOnAgendaFixture : SeanceCouncilFixture;

/// <summary>Placing a situation on a séance's ODJ: check and decision without a database, then the 400 and 409 answers.</summary>
public sealed class PlaceOnAgendaTests(PlaceOnAgendaFixture fixture) : IClassFixture<PlaceOnAgendaFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void The_seance_must_be_one_of_the_council()
    {
        var seance = Seance(Group());
        Assert.Equal(["seanceId"], Fields(PlaceOnAgendaUseCase.Check(new PlaceOnAgenda(Guid.CreateVersion7(), 1), null)));
        Assert.Equal(["seanceId"], Fields(PlaceOnAgendaUseCase.Check(new PlaceOnAgenda(Guid.Empty, 1), null)));
        Assert.Empty(Fields(PlaceOnAgendaUseCase.Check(new PlaceOnAgenda(seance.Id, 1), seance)));
    }

    [Fact]
    public void An_open_situation_goes_on_an_open_seance_of_its_group()
    {
        var group = Group();
        var seance = Seance(group, Now.AddDays(7));
        var situation = Situation(group, "S-2026-0001");
        var placed = PlaceOnAgendaUseCase.Decide(situation, seance, Author, Now);
        Assert.Equal(new SituationPlacedOnAgenda(situation.Id, seance.Id, seance.Date, Author, Now), placed);
    }

    [Fact]
    public void The_decision_refuses_what_the_state_forbids()
    {
        var group = Group();
        var seance = Seance(group, Now.AddDays(7));

        var closedSituation = Situation(group, "S-2026-0002");
        closedSituation.Apply(new SituationClosed(closedSituation.Id, "sans-objet", null, Author, Now));
        Assert.Contains("clôturée", OutOfOrder(() => PlaceOnAgendaUseCase.Decide(closedSituation, seance, Author, Now)));

        Assert.Contains("groupe", OutOfOrder(() => PlaceOnAgendaUseCase.Decide(Situation(Group(), "S-2026-0003"), seance, Author, Now)));
        Assert.Contains("close", OutOfOrder(() => PlaceOnAgendaUseCase.Decide(Situation(group, "S-2026-0004"), Seance(group, closed: true), Author, Now)));

        var already = Situation(group, "S-2026-0005").PlacedOn(seance);
        Assert.Contains("déjà inscrite à l'ordre du jour de cette séance", OutOfOrder(() => PlaceOnAgendaUseCase.Decide(already, seance, Author, Now)));
        Assert.Contains("autre séance", OutOfOrder(() => PlaceOnAgendaUseCase.Decide(already, Seance(group, Now.AddDays(14)), Author, Now)));

        // Postponed from an earlier séance: free to go on the next one.
        var postponed = Situation(group, "S-2026-0006").PlacedOn(seance).Postponed(seance);
        var next = Seance(group, Now.AddDays(14));
        Assert.Equal(next.Id, PlaceOnAgendaUseCase.Decide(postponed, next, Author, Now).SeanceId);
    }

    [Fact]
    public async Task An_unknown_seance_is_refused_with_400_and_nothing_is_appended()
    {
        var situation = await Council.ReferAsync(Service, TestPerson.Distinctive("Odj400"), "Faits.");
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{situation.Id}/agenda",
            new { seanceId = Guid.CreateVersion7(), expectedVersion = await Council.VersionOfAsync(Service, situation.Id) }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("seanceId", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{situation.Id}/agenda",
            new { seanceId = await Steps.ScheduleAsync() }), 400); // no expectedVersion
        Assert.Equal(before + 1, await Service.EventCountAsync()); // the séance scheduled for the second try, nothing else
    }

    [Fact]
    public async Task A_situation_already_waiting_on_an_ODJ_or_a_stale_version_is_refused_with_409_and_nothing_is_appended()
    {
        var situation = await Council.ReferAsync(Service, TestPerson.Distinctive("Odj409"), "Faits.");
        var first = await Steps.ScheduleAsync();
        var second = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(7));
        await Steps.PlaceAsync(situation.Id, first);
        var before = await Service.EventCountAsync();

        var url = $"{Council.Api}/situations/{situation.Id}/agenda";
        var version = await Council.VersionOfAsync(Service, situation.Id);
        var waiting = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { seanceId = second, expectedVersion = version }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", waiting.GetProperty("type").GetString());
        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { seanceId = second, expectedVersion = version - 1 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }
}
