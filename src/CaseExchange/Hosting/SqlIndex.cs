using Npgsql;

namespace CaseExchange.Hosting;

/// <summary>An index Marten's schema configuration cannot express (an expression over a table Marten owns, a partial index).</summary>
/// <param name="Name">The index's name, in the service's schema.</param>
/// <param name="Definition">What follows <c>on</c> in <c>create index … on</c>: table, columns or expressions, method, predicate.</param>
public sealed record SqlIndex(string Name, string Definition)
{
    public string Sql => $"create index if not exists {Name} on {Definition}";
}

/// <summary>
/// Creates the service's <see cref="SqlIndex"/>es when missing, at start-up, once Marten has created or migrated its
/// tables (registered after it: hosted services start in order) and before the server listens. Idempotent; on an
/// existing large table the first creation holds the table's writes for as long as the index takes to build.
/// See <see cref="EventStore"/> for the indexes and why (README, "Growth with a council's history").
/// </summary>
public sealed class SqlIndexes(NpgsqlDataSource dataSource, IEnumerable<SqlIndex> indexes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var index in indexes)
        {
            // Asked of the catalogue first: "create index if not exists" would still take the table's share lock (holding
            // writes) at every start of every instance, though the index is there.
            await using (var exists = dataSource.CreateCommand("select exists (select 1 from pg_indexes where indexname = $1)"))
            {
                exists.Parameters.AddWithValue(index.Name);
                if (await exists.ExecuteScalarAsync(cancellationToken) is true) continue;
            }
            await using var command = dataSource.CreateCommand(index.Sql);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
