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
        if (!string.IsNullOrWhiteSpace(configured)) return WithStatementPreparation(configured);

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
        return WithStatementPreparation(cluster.ConnectionString(EmbeddedDatabaseName));
    }

    /// <summary>
    /// Npgsql prepares the statements the service repeats (Marten's appends and lookups, the journal's), unless the connection
    /// string sets these keys itself. PostgreSQL then no longer parses and plans them on every call, and, since prepared
    /// statements must outlive a connection's return to the pool, the pool's reset no longer discards every cached plan
    /// (DISCARD ALL), which made PostgreSQL re-plan Marten's append function at each commit. Measured: about 40 % less
    /// PostgreSQL CPU per referral and per file opening (README, "Performance"). "Max Auto Prepare=0" turns it off, e.g.
    /// behind a connection pooler that cannot keep prepared statements.
    /// </summary>
    public static string WithStatementPreparation(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) tuned.MaxAutoPrepare = 64;
        if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages")) tuned.AutoPrepareMinUsages = 2;
        return tuned.ConnectionString;
    }

    /// <summary>
    /// The service's data source. A connection string naming several hosts (a primary and its standbys) with
    /// <c>Target Session Attributes</c> gets a multi-host data source that opens connections on a host of that kind only:
    /// after a failover, new connections go to the promoted standby without a restart (deploy/README.md, "Failover").
    /// Npgsql refuses the attribute in a multi-host data source's own string, so it is taken out and applied as a wrapper.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.TargetSessionAttributes is not { Length: > 0 } attributes || !(settings.Host ?? "").Contains(','))
            return NpgsqlDataSource.Create(settings);
        settings.TargetSessionAttributes = null;
        var target = Enum.Parse<TargetSessionAttributes>(attributes.Replace("-", ""), ignoreCase: true);
        return new NpgsqlDataSourceBuilder(settings.ConnectionString).BuildMultiHost().WithTargetSession(target);
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
