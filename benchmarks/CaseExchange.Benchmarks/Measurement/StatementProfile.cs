using CaseExchange.Benchmarks.Baselines;
using Npgsql;

namespace CaseExchange.Benchmarks.Measurement;

/// <summary>With <c>--profile</c>: the statements PostgreSQL spent its time on during a figure (pg_stat_statements).</summary>
public sealed class StatementProfile(string connectionString, bool enabled, Report report)
{
    public async Task ResetAsync()
    {
        if (!enabled) return;
        await BenchPostgres.ExecuteAsync(connectionString, "create extension if not exists pg_stat_statements; select pg_stat_statements_reset()");
    }

    public async Task ReportAsync(string figure)
    {
        if (!enabled) return;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select calls, round(total_exec_time::numeric, 0), round(mean_exec_time::numeric, 3), " +
            "regexp_replace(left(query, 110), '\\s+', ' ', 'g') from pg_stat_statements order by total_exec_time desc limit 12", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add($"{reader.GetInt64(0)} calls, {reader.GetDecimal(1)} ms total, {reader.GetDecimal(2)} ms mean: `{reader.GetString(3).Replace('|', '/')}`");
        report.Detail($"pg_stat_statements during {figure}: " + string.Join(" ; ", lines));
    }
}
