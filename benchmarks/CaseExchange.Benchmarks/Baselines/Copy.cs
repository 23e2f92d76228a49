using CaseExchange.Benchmarks.Measurement;
using NpgsqlTypes;

namespace CaseExchange.Benchmarks.Baselines;

/// <summary>
/// The bare store's bulk path: binary COPY (Npgsql) of the same JSON documents into a plain table with a primary key,
/// committed durably. Median of three loads into a fresh table.
/// </summary>
public static class Copy
{
    public static async Task<TimeSpan> MedianAsync(string connectionString, IReadOnlyList<string> documents, string table)
    {
        return await Timing.MedianAsync(3,
            before: () => BenchPostgres.ExecuteAsync(connectionString,
                $"drop table if exists {table}; create table {table} (id bigint primary key, data jsonb not null); checkpoint"),
            measured: async () =>
            {
                await using var connection = new Npgsql.NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var importer = await connection.BeginBinaryImportAsync($"copy {table} (id, data) from stdin (format binary)");
                for (var i = 0; i < documents.Count; i++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync((long)i, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(documents[i], NpgsqlDbType.Jsonb);
                }
                await importer.CompleteAsync();
            });
    }
}
