using System.Net;
using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using Npgsql;

namespace CaseExchange.Tests.Situations;

public sealed class ConcurrencyFixture : CouncilFixture
{
    // Counts the blocked sessions of its whole database.
    protected override bool OwnHost => true;
}

public sealed class ConcurrencyTests(ConcurrencyFixture fixture) : IClassFixture<ConcurrencyFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Of_two_updates_made_from_the_same_version_one_wins_and_the_other_gets_409()
    {
        var id = await fixture.Steps.ReferredAsync();
        var seanceA = await fixture.Steps.NewSeanceAsync();
        var first = await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/agenda", new { seanceId = seanceA, expectedVersion = 1 });
        await Answers.ExpectAsync(first, 200);
        var second = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Écrit sur une version périmée", expectedVersion = 1 });
        var problem = await Answers.ProblemAsync(second, 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());

        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}");
        Assert.Equal(2, view.GetProperty("version").GetInt64());
        Assert.Equal(Council.GroupA, view.GetProperty("groupId").GetGuid());
    }

    [Fact]
    public async Task Truly_simultaneous_writers_on_one_situation_never_lose_an_update()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await fixture.Steps.ReferredAsync();
            var before = await Service.EventCountAsync();
            var seances = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Steps.NewSeanceAsync()));
            var afterSeances = await Service.EventCountAsync();

            // Eight leads place the same situation on eight séances at once, all from version 1.
            var responses = await Task.WhenAll(seances.Select(seance =>
                Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 1 })));
            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));

            var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}");
            Assert.Equal(2, view.GetProperty("version").GetInt64());
            Assert.Equal(1, view.GetProperty("agenda").GetArrayLength());
            Assert.Equal(afterSeances + 1, await Service.EventCountAsync());
            Assert.True(afterSeances > before);
        }
    }

    [Fact]
    public async Task A_command_without_an_expected_version_is_refused()
    {
        var id = await fixture.Steps.ReferredAsync();
        var seance = await fixture.Steps.NewSeanceAsync();
        var problem = await Answers.ProblemAsync(
            await Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/agenda", new { seanceId = seance }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("expectedVersion", out _));
    }

    [Fact]
    public async Task A_stale_transfer_to_the_group_that_now_holds_the_situation_gets_409_with_the_current_version_not_400()
    {
        var id = await fixture.Steps.ReferredAsync();
        var first = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Premier transfert", expectedVersion = 1 });
        await Answers.ExpectAsync(first, 200);

        // Seen from version 1, the destination was another group; at version 2 it is the holding group.
        var stale = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{id}/transfer",
            new { toGroupId = Council.GroupB, reason = "Transfert sur une version périmée", expectedVersion = 1 });
        var problem = await Answers.ProblemAsync(stale, 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
    }

    [Fact]
    public async Task A_writer_that_loses_at_commit_time_gets_409_with_the_current_version()
    {
        var id = await fixture.Steps.ReferredAsync();
        var seances = await Task.WhenAll(fixture.Steps.NewSeanceAsync(), fixture.Steps.NewSeanceAsync());

        // Both writers pass their version check (version 1), then wait at commit on the stream's row, held here;
        // once it is released one commits and the other loses inside PostgreSQL, not in the endpoint.
        await using var holder = new NpgsqlConnection(Service.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("select 1 from caseexchange.mt_streams where id = $1 for update", holder, transaction)
                     { Parameters = { new() { Value = id } } })
            Assert.NotNull(await hold.ExecuteScalarAsync());

        var writers = seances.Select(seance =>
            Service.PostAsync(Council.Animateur, $"{Council.Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 1 })).ToList();
        await WaitForBlockedBackendsAsync(holder, 2, writers);
        await transaction.CommitAsync();

        var responses = await Task.WhenAll(writers);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var problem = await Answers.ProblemAsync(responses.Single(r => r.StatusCode != HttpStatusCode.OK), 409);
        Assert.Equal("urn:caseexchange:problem:concurrent-update", problem.GetProperty("type").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
    }

    /// <summary>Waits until <paramref name="count"/> other sessions of this database wait on a lock.</summary>
    private static async Task WaitForBlockedBackendsAsync(NpgsqlConnection connection, int count, IReadOnlyList<Task> requests)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.DoesNotContain(requests, r => r.IsCompleted);
            await using var query = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", connection);
            if ((long)(await query.ExecuteScalarAsync())! >= count) return;
            await Task.Delay(100);
        }
        Assert.Fail($"{count} writers never reached the commit.");
    }
}
