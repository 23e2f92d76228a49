using Npgsql;

namespace CaseExchange.Hosting;

/// <summary>
/// Which PostgreSQL the service uses: the one named by <c>ConnectionStrings__CaseExchange</c>, or, when none
/// is configured outside Production, an embedded cluster that the service starts itself and stops on shutdown.
/// </summary>
public static class Database
{
    public const string ConnectionStringName = "CaseExchange";
    public const string EmbeddedDatabaseName = "caseexchange";
    public const string SchemaName = "caseexchange";

    public static async Task<string> ResolveConnectionStringAsync(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        if (builder.Environment.IsProduction())
            throw new InvalidOperationException(
                $"No database configured: set ConnectionStrings__{ConnectionStringName} (see deploy/README.md). " +
                "The embedded PostgreSQL is for development only.");

        var directory = builder.Configuration["EmbeddedPostgres:DataDirectory"]
                        ?? Path.Combine(builder.Environment.ContentRootPath, ".data", "pg");
        // The host's logging does not exist yet; these few start-up lines go to the console.
        var cluster = await EmbeddedPostgres.StartPersistentAsync(directory, message => Console.WriteLine($"[embedded-postgres] {message}"));
        await EnsureDatabaseExistsAsync(cluster.ConnectionString("postgres"), EmbeddedDatabaseName);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddHostedService<EmbeddedPostgresShutdown>();
        return cluster.ConnectionString(EmbeddedDatabaseName);
    }

    public static async Task EnsureDatabaseExistsAsync(string maintenanceConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(maintenanceConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new() { Value = database } }
        };
        if (await exists.ExecuteScalarAsync() is not null) return;
        await using var create = new NpgsqlCommand($"create database \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
    }
}

/// <summary>Stops the embedded cluster once the host has stopped everything that uses it.</summary>
internal sealed class EmbeddedPostgresShutdown(EmbeddedPostgres cluster, IHostApplicationLifetime lifetime, ILogger<EmbeddedPostgresShutdown> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopped.Register(() =>
        {
            logger.LogInformation("Stopping the embedded PostgreSQL");
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
