using CaseExchange.Hosting;
using System.Diagnostics;
using CaseExchange.Http;
using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>pg_dump and psql from the system's PostgreSQL, against a test database.</summary>
public static class PgTools
{
    public static async Task<string> DumpAsync(string connectionString)
    {
        var (exit, output, error) = await RunAsync("pg_dump", connectionString, "--no-owner", "--no-privileges");
        Assert.True(exit == 0, $"pg_dump failed: {error}");
        return output;
    }

    public static async Task RestoreAsync(string connectionString, string dump)
    {
        var file = Path.Combine(Path.GetTempPath(), $"caseexchange-dump-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, dump);
        try
        {
            var (exit, _, error) = await RunAsync("psql", connectionString, "--quiet", "--set", "ON_ERROR_STOP=1", "--file", file);
            Assert.True(exit == 0, $"psql restore failed: {error}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string tool, string connectionString, params string[] args)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(PostgresBinaries.Locate(), tool))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PGHOST"] = builder.Host;
        start.Environment["PGPORT"] = builder.Port.ToString();
        start.Environment["PGUSER"] = builder.Username;
        start.Environment["PGPASSWORD"] = builder.Password;
        start.Environment["PGDATABASE"] = builder.Database;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
