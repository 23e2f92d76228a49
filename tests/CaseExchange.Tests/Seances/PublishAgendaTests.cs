using CaseExchange.Seances.Agenda;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class PublishAgendaFixture : SeanceCouncilFixture;

/// <summary>Publishing a séance's ODJ: check and decision without a database, then the 400 and 409 answers.</summary>
public sealed class PublishAgendaTests(PublishAgendaFixture fixture) : IClassFixture<PublishAgendaFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void Only_the_version_seen_is_asked_for()
    {
        Assert.Equal(["expectedVersion"], Fields(PublishAgendaUseCase.Check(new PublishAgenda(null))));
        Assert.Empty(Fields(PublishAgendaUseCase.Check(new PublishAgenda(3))));
    }

    [Fact]
    public void The_ODJ_lists_the_situations_placed_and_not_postponed_by_pseudonym()
    {
        var group = Group();
        var seance = Seance(group);
        var b = Situation(group, "S-2026-0012").PlacedOn(seance);
        var a = Situation(group, "S-2026-0011").PlacedOn(seance);
        var postponed = Situation(group, "S-2026-0010").PlacedOn(seance).Postponed(seance);
        var elsewhere = Situation(group, "S-2026-0009").PlacedOn(Seance(group, Now.AddDays(7)));

        var published = PublishAgendaUseCase.Decide(seance, [b, postponed, a, elsewhere], Author, Now);
        Assert.Equal([a.Id, b.Id], published.SituationIds);
        Assert.Equal((seance.Id, Author, Now), (published.SeanceId, published.PublishedBy, published.At));
    }

    [Fact]
    public void An_empty_ODJ_or_a_closed_seance_is_not_published()
    {
        var group = Group();
        var seance = Seance(group);
        Assert.Contains("aucune situation", OutOfOrder(() => PublishAgendaUseCase.Decide(seance, [], Author, Now)));
        var postponed = Situation(group, "S-2026-0013").PlacedOn(seance).Postponed(seance);
        Assert.Contains("aucune situation", OutOfOrder(() => PublishAgendaUseCase.Decide(seance, [postponed], Author, Now)));
        var closed = Seance(group, closed: true);
        Assert.Contains("close", OutOfOrder(() => PublishAgendaUseCase.Decide(closed, [Situation(group, "S-2026-0014").PlacedOn(closed)], Author, Now)));
    }

    [Fact]
    public async Task A_publication_without_the_version_seen_is_refused_with_400_and_nothing_is_appended()
    {
        var seanceId = await Steps.ScheduleAsync();
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/agenda-publication", new { }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("expectedVersion", out _));
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task An_empty_ODJ_or_a_stale_version_is_refused_with_409_and_nothing_is_appended()
    {
        var seanceId = await Steps.ScheduleAsync();
        var before = await Service.EventCountAsync();
        var url = $"{Council.Api}/seances/{seanceId}/agenda-publication";
        var version = await Steps.SeanceVersionAsync(seanceId);

        var empty = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { expectedVersion = version }), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", empty.GetProperty("type").GetString());
        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { expectedVersion = version + 1 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(before, await Service.EventCountAsync());
    }
}
