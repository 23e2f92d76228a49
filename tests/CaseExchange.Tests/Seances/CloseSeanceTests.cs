using CaseExchange.Seances;
using CaseExchange.Seances.Closure;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class CloseSeanceFixture : SeanceCouncilFixture;

/// <summary>Closing a séance: check and decision without a database, then the 400 and 409 answers.</summary>
public sealed class CloseSeanceTests(CloseSeanceFixture fixture) : IClassFixture<CloseSeanceFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void Only_the_version_seen_is_asked_for()
    {
        Assert.Equal(["expectedVersion"], Fields(CloseSeanceUseCase.Check(new CloseSeance(null))));
        Assert.Empty(Fields(CloseSeanceUseCase.Check(new CloseSeance(2))));
    }

    [Fact]
    public void Closing_postpones_the_situations_still_waiting_on_the_ODJ()
    {
        var group = Group();
        var seance = Seance(group, attendance: true);
        var examined = Situation(group, "S-2026-0021").PlacedOn(seance).Examined(seance);
        var waiting = Situation(group, "S-2026-0022").PlacedOn(seance);

        var closure = CloseSeanceUseCase.Decide(seance, [examined, waiting], Author, Now);
        Assert.Equal(new SeanceClosed(seance.Id, Author, Now), closure.Closed);
        Assert.Equal([new SituationPostponed(waiting.Id, seance.Id, Author, Now)], closure.Postponed);
    }

    [Fact]
    public void A_seance_closes_once_after_it_took_place_and_its_attendance_was_recorded()
    {
        var group = Group();
        Assert.Contains("déjà close", OutOfOrder(() => CloseSeanceUseCase.Decide(Seance(group, closed: true), [], Author, Now)));
        Assert.Contains("pas encore eu lieu", OutOfOrder(() => CloseSeanceUseCase.Decide(Seance(group, Now.AddDays(2), attendance: true), [], Author, Now)));
        Assert.Contains("présence", OutOfOrder(() => CloseSeanceUseCase.Decide(Seance(group), [], Author, Now)));
    }

    [Fact]
    public async Task A_closure_without_the_version_seen_is_refused_with_400_and_nothing_is_appended()
    {
        var seanceId = await Steps.ScheduleAsync();
        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur]), 200);
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/closure", new { }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("expectedVersion", out _));
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_closure_without_attendance_twice_or_on_a_stale_version_is_refused_with_409_and_nothing_is_appended()
    {
        var situation = await Council.ReferAsync(Service, TestPerson.Distinctive("Clo409"), "Faits.");
        var seanceId = await Steps.ScheduleAsync();
        await Steps.PlaceAsync(situation.Id, seanceId);
        var before = await Service.EventCountAsync();
        var noAttendance = await Answers.ProblemAsync(await Steps.CloseAsync(seanceId), 409);
        Assert.Equal("urn:caseexchange:problem:out-of-order", noAttendance.GetProperty("type").GetString());
        var stale = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/closure",
            new { expectedVersion = await Steps.SeanceVersionAsync(seanceId) + 1 }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", stale.GetProperty("type").GetString());
        Assert.Equal(before, await Service.EventCountAsync());

        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seanceId, [Council.Animateur]), 200);
        await Answers.ExpectAsync(await Steps.CloseAsync(seanceId), 200);
        var closed = await Service.EventCountAsync();
        await Answers.ProblemAsync(await Steps.CloseAsync(seanceId), 409);
        Assert.Equal(closed, await Service.EventCountAsync());
    }
}
