using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CaseExchange.Benchmarks.Measurement;
using Npgsql;

namespace CaseExchange.Benchmarks.Baselines;

public sealed record PgBenchResult(int Clients, double Tps, double LatencyMs, long Transactions, TimeSpan Duration, CpuSample Cpu)
{
    public override string ToString() =>
        $"pgbench {Clients} client(s), {Duration.TotalSeconds:F0} s: {Tps:F1} tps, latency average {LatencyMs:F2} ms ({Transactions} transactions); " +
        $"CPU per transaction: pgbench {Cpu.Children.TotalMilliseconds / Transactions:F3} ms + PostgreSQL {Cpu.Postgres.TotalMilliseconds / Transactions:F3} ms";
}

/// <summary>
/// The bare store: PostgreSQL's own pgbench (from the same bin directory as initdb) running a custom script that
/// inserts one 1 KB JSON row per transaction into a plain table, each transaction committed durably.
/// </summary>
public static partial class PgBench
{
    public const string Table = "bench_json_rows";

    /// <summary>About 1 KB once the random key is added: a referral-sized JSON document.</summary>
    private static readonly string Payload = string.Concat(Enumerable.Repeat(
        "Absences répétées depuis la rentrée, signalées par l’établissement ; famille rencontrée une fois. ", 10))[..960];

    /// <summary>The same row as the pgbench script inserts, for the .NET ladder figures.</summary>
    public static string Document(long r) => $"{{\"r\": {r}, \"payload\": \"{Payload}\"}}";

    public static async Task PrepareAsync(string connectionString)
    {
        await BenchPostgres.ExecuteAsync(connectionString,
            $"drop table if exists {Table}; create table {Table} (id bigserial primary key, data jsonb not null)");
    }

    public static async Task<PgBenchResult> RunAsync(string binDirectory, string connectionString, int clients, TimeSpan duration, CpuMeter meter)
    {
        var script = Path.Combine(Path.GetTempPath(), $"caseexchange-pgbench-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script,
            "\\set r random(1, 1000000000)\n" +
            $"insert into {Table} (data) values (('{{\"r\": ' || :r || ', \"payload\": \"{Payload}\"}}')::jsonb);\n");

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(binDirectory, "pgbench"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-n", "-f", script, "-c", clients.ToString(), "-j", Math.Min(clients, 2).ToString(),
                     "-T", ((int)duration.TotalSeconds).ToString() })
            start.ArgumentList.Add(arg);
        start.Environment["PGHOST"] = builder.Host;
        start.Environment["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = builder.Username;
        start.Environment["PGPASSWORD"] = builder.Password;
        start.Environment["PGDATABASE"] = builder.Database;
        var before = meter.Sample();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var cpu = meter.Sample() - before;
        var text = await output;
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error}");
        File.Delete(script);

        double Parse(Regex pattern) => double.Parse(pattern.Match(text) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"Unexpected pgbench output: {text}"), CultureInfo.InvariantCulture);
        return new PgBenchResult(clients, Parse(TpsLine()), Parse(LatencyLine()), (long)Parse(TransactionsLine()), duration, cpu);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex TransactionsLine();
}
