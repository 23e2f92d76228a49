using System.Text.Json;
using CaseExchange.Seances.Scheduling;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class ScheduleSeanceFixture : SeanceCouncilFixture;

/// <summary>Scheduling a séance: its check and decision without a database, then its 400 and 409 answers through HTTP.</summary>
public sealed class ScheduleSeanceTests(ScheduleSeanceFixture fixture) : IClassFixture<ScheduleSeanceFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public void The_date_is_required_and_not_in_the_past_with_a_day_of_leeway()
    {
        Assert.Equal(["date"], Fields(ScheduleSeanceUseCase.Check(new ScheduleSeance(null), Now)));
        Assert.Equal(["date"], Fields(ScheduleSeanceUseCase.Check(new ScheduleSeance(Now.AddDays(-2)), Now)));
        Assert.Empty(Fields(ScheduleSeanceUseCase.Check(new ScheduleSeance(Now.AddHours(-20)), Now)));
        Assert.Empty(Fields(ScheduleSeanceUseCase.Check(new ScheduleSeance(Now.AddDays(30)), Now)));
    }

    [Fact]
    public void The_decision_schedules_the_seance_of_the_group_at_its_date()
    {
        var group = Group();
        var id = Guid.CreateVersion7();
        var scheduled = ScheduleSeanceUseCase.Decide(id, group, new ScheduleSeance(Now.AddDays(7)), Author, Now);
        Assert.Equal(new CaseExchange.Seances.SeanceScheduled(id, group.Id, Now.AddDays(7), Author, Now), scheduled);
    }

    [Fact]
    public async Task A_seance_without_a_date_or_in_the_past_is_refused_with_400_and_nothing_is_appended()
    {
        var before = await Service.EventCountAsync();
        var url = $"{Council.Api}/groups/{Council.GroupA}/seances";
        var missing = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { }), 400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("date", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { date = DateTimeOffset.UtcNow.AddDays(-3) }), 400);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task An_id_already_used_by_another_member_is_refused_with_409_and_nothing_is_appended()
    {
        var url = $"{Council.Api}/groups/{Council.GroupA}/seances";
        var id = Guid.CreateVersion7();
        var date = DateTimeOffset.UtcNow.AddDays(5);
        await Service.PostJsonAsync<JsonElement>(Council.Animateur, url, new { date, id }, 201);
        var before = await Service.EventCountAsync();

        var conflict = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { date, id }), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", conflict.GetProperty("type").GetString());
        // The same member retrying gets the same séance, not a second one.
        var retried = await Service.PostJsonAsync<JsonElement>(Council.Animateur, url, new { date, id }, 201);
        Assert.Equal(id, retried.GetProperty("seanceId").GetGuid());
        Assert.Equal(before, await Service.EventCountAsync());
    }
}
