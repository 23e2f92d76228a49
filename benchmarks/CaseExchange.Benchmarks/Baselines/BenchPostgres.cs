using CaseExchange.Hosting;
using CaseExchange.Benchmarks.Measurement;
using CaseExchange.Http;
using Npgsql;

namespace CaseExchange.Benchmarks.Baselines;

/// <summary>
/// The PostgreSQL every figure and every baseline of a run share: a throwaway cluster with production durability
/// (fsync, synchronous_commit and full_page_writes on), or the server named by BENCH_PG_CONNECTION (a superuser
/// connection string; the run creates its databases there and refuses a server whose commits are not durable).
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    public const string ExternalVariable = "BENCH_PG_CONNECTION";

    private readonly EmbeddedPostgres? _cluster;
    private readonly string _maintenance;

    private BenchPostgres(EmbeddedPostgres? cluster, string maintenance, string binDirectory)
    {
        _cluster = cluster;
        _maintenance = maintenance;
        BinDirectory = binDirectory;
    }

    public string BinDirectory { get; }

    /// <summary>CPU of this process and of the run's own cluster (PostgreSQL's share is unknown on an external server).</summary>
    public CpuMeter Cpu => new(_cluster?.DataDirectory);

    public string Description => _cluster is null ? $"external server ({ExternalVariable})" : "throwaway cluster started by the run";

    public static async Task<BenchPostgres> StartAsync(bool profile)
    {
        if (Environment.GetEnvironmentVariable(ExternalVariable) is { Length: > 0 } external)
            return new BenchPostgres(null, external, PostgresBinaries.Locate());
        // pg_stat_statements only when profiling: it costs every statement a little, figures and baselines alike.
        var cluster = await EmbeddedPostgres.StartThrowawayDurableAsync(profile
            ? ["shared_preload_libraries = 'pg_stat_statements'", "pg_stat_statements.track = all", "track_io_timing = on"]
            : []);
        return new BenchPostgres(cluster, cluster.ConnectionString("postgres"), cluster.BinDirectory);
    }

    public async Task<string> CreateDatabaseAsync(string name, string? options = null)
    {
        await using (var connection = new NpgsqlConnection(_maintenance))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(_maintenance) { Database = name, MaxPoolSize = 200 };
        if (options is not null) builder.ConnectionString += ";" + options;
        return builder.ConnectionString;
    }

    public async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The settings that decide what a commit costs; the run stops if a commit would not be durable.</summary>
    public async Task<IReadOnlyList<(string Name, string Value)>> DurabilityAsync()
    {
        var settings = new List<(string, string)>();
        foreach (var name in new[] { "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers", "max_connections" })
            settings.Add((name, await ScalarAsync(_maintenance, $"show {name}")));
        if (settings.Any(s => s.Item1 is "fsync" or "synchronous_commit" && s.Item2 != "on"))
            throw new InvalidOperationException("The benchmark needs durable commits (fsync and synchronous_commit on), as in production.");
        return settings;
    }

    public static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
