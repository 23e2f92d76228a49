using CaseExchange.Hosting;
using CaseExchange.Tests.Infrastructure;
using Npgsql;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// The service's own indexes on Marten's tables survive a restart: Marten's start-up migration drops what it does not
/// declare, and the next start rebuilt the journal's index over the whole history (seconds per million entries, writes
/// held meanwhile). The same index object (its catalogue oid) must be there after a second start.
/// </summary>
public sealed class StartupIndexTests
{
    private static async Task<Dictionary<string, uint>> IndexOidsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select relname, oid from pg_class where relkind = 'i' and relname = any($1)", connection);
        command.Parameters.AddWithValue(new[] { EventStore.JournalEntriesAt.Name, EventStore.SituationAgenda.Name });
        var oids = new Dictionary<string, uint>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) oids[reader.GetString(0)] = reader.GetFieldValue<uint>(1);
        return oids;
    }

    [Fact]
    public async Task A_restart_keeps_the_indexes_it_created_instead_of_rebuilding_them()
    {
        var postgres = await TestPostgres.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync("startupindex");
        await using (var first = await TestService.StartAsync(connectionString)) { }
        var before = await IndexOidsAsync(connectionString);
        Assert.Equal([EventStore.JournalEntriesAt.Name, EventStore.SituationAgenda.Name], before.Keys.Order());

        await using (var second = await TestService.StartAsync(connectionString)) { }
        Assert.Equal(before, await IndexOidsAsync(connectionString));
    }
}
