using CaseExchange.Hosting;
using CaseExchange.Http;
using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL for the whole test run: the server named by TEST_PG_CONNECTION, or a throwaway cluster started
/// from the system's binaries. Each test class gets its own database, so classes run in parallel.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private static readonly Lazy<Task<TestPostgres>> Shared = new(StartAsync);

    private readonly EmbeddedPostgres? _cluster;
    private readonly string _maintenance;
    private readonly List<string> _created = [];

    private TestPostgres(EmbeddedPostgres? cluster, string maintenance)
    {
        _cluster = cluster;
        _maintenance = maintenance;
    }

    public static Task<TestPostgres> GetAsync() => Shared.Value;

    public static bool IsStarted => Shared.IsValueCreated;

    public EmbeddedPostgres? Cluster => _cluster;

    private static async Task<TestPostgres> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("TEST_PG_CONNECTION") is { Length: > 0 } external)
            return new TestPostgres(null, external);
        var cluster = await EmbeddedPostgres.StartEphemeralAsync();
        return new TestPostgres(cluster, cluster.ConnectionString("postgres"));
    }

    /// <summary>A fresh, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        await using (var connection = new NpgsqlConnection(_maintenance))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (_created) _created.Add(name);
        return new NpgsqlConnectionStringBuilder(_maintenance) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await command.ExecuteNonQueryAsync();
        lock (_created) _created.Remove(name!);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            return;
        }
        foreach (var name in _created.ToArray())
            await DropDatabaseAsync(new NpgsqlConnectionStringBuilder(_maintenance) { Database = name }.ConnectionString);
    }

    /// <summary>Stops the shared cluster when the test process ends.</summary>
    public static async ValueTask StopSharedAsync()
    {
        if (IsStarted) await (await Shared.Value).DisposeAsync();
    }
}

/// <summary>
/// Assembly fixture that, at the end of the run, writes how many services it started, stops the suite's shared service
/// and PostgreSQL, and deletes the run's certificates.
/// </summary>
public sealed class TestRunLifetime : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        ServiceStarts.Write();
        await SuiteService.StopAsync();
        await TestPostgres.StopSharedAsync();
        if (Directory.Exists(TestSecrets.Directory)) Directory.Delete(TestSecrets.Directory, recursive: true);
    }
}
