using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Tests.Infrastructure;
using Npgsql;

namespace CaseExchange.Tests.Journal;

/// <summary>
/// What someone with write access to the database, but without the checkpoint key, can do to the journal: SHA-256 is
/// public, so entries and checkpoints can be rehashed and relinked; only the checkpoints' keyed MAC cannot be made.
/// </summary>
public static class JournalTampering
{
    public static readonly JsonSerializerOptions Json = new();

    public static async Task<T?> ScalarAsync<T>(TestService service, string sql, params object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>The rows of one stream of a council, by version: (version, data).</summary>
    public static async Task<List<(long Version, string Data)>> RowsAsync(TestService service, string council, Guid streamId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "select version, data::text from caseexchange.mt_events where tenant_id = $1 and stream_id = $2 order by version", connection)
        {
            Parameters = { new() { Value = council }, new() { Value = streamId } },
        };
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) rows.Add((reader.GetInt64(0), reader.GetString(1)));
        return rows;
    }

    public static async Task<List<AccessJournalled>> EntriesAsync(TestService service, string council, Guid chain) =>
        [.. (await RowsAsync(service, council, chain)).Select(r => JsonSerializer.Deserialize<AccessJournalled>(r.Data, Json)!)];

    public static async Task<List<JournalCheckpointSealed>> CheckpointsAsync(TestService service, string council) =>
        [.. (await RowsAsync(service, council, JournalChains.CheckpointStreamId)).Select(r => JsonSerializer.Deserialize<JournalCheckpointSealed>(r.Data, Json)!)];

    public static Task<int> WriteAsync(TestService service, string council, Guid streamId, long version, object data) =>
        service.ExecuteSqlAsync("update caseexchange.mt_events set data = $4::jsonb where tenant_id = $1 and stream_id = $2 and version = $3",
            council, streamId, version, JsonSerializer.Serialize(data, Json));

    /// <summary>Changes entry <paramref name="from"/> of a chain, then rehashes and relinks it and every later entry. Returns the new last entry.</summary>
    public static async Task<AccessJournalled> RewriteAsync(TestService service, string council, Guid chain, long from,
        Func<AccessJournalled, AccessJournalled> change)
    {
        var entries = await EntriesAsync(service, council, chain);
        var previous = from == 1 ? JournalHash.Genesis : JournalHash.Parse(entries[(int)from - 2].Hash);
        AccessJournalled? last = null;
        for (var i = (int)from - 1; i < entries.Count; i++)
        {
            var entry = i == from - 1 ? change(entries[i]) : entries[i];
            entry = entry with { PreviousHash = previous.ToString() };
            entry = entry with { Hash = JournalHashing.OfEntry(council, entry, previous).ToString() };
            await WriteAsync(service, council, chain, i + 1, entry);
            previous = JournalHash.Parse(entry.Hash);
            last = entry;
        }
        return last!;
    }

    /// <summary>
    /// Rebuilds every checkpoint from the chains as they now are (heads rehashed, checkpoints relinked), as someone
    /// without the key can: the MAC is made by <paramref name="mac"/> (an old one kept, one of another key, none).
    /// </summary>
    public static async Task RebuildCheckpointsAsync(TestService service, string council,
        Func<JournalCheckpointSealed, JournalCheckpointSealed> before, Func<JournalCheckpointSealed, JournalHash, JournalCheckpointSealed> mac)
    {
        var checkpoints = await CheckpointsAsync(service, council);
        var previous = JournalHash.Genesis;
        var chains = new Dictionary<Guid, List<AccessJournalled>>();
        for (var i = 0; i < checkpoints.Count; i++)
        {
            var heads = new List<SealedChainHead>();
            foreach (var head in checkpoints[i].Heads)
            {
                if (!chains.TryGetValue(head.ChainId, out var entries)) chains[head.ChainId] = entries = await EntriesAsync(service, council, head.ChainId);
                heads.Add(head with { Hash = entries.Count >= head.Sequence ? entries[(int)head.Sequence - 1].Hash : head.Hash });
            }
            var rebuilt = before(checkpoints[i] with { Heads = heads, PreviousHash = previous.ToString() });
            var hash = JournalHashing.OfCheckpoint(council, rebuilt, previous);
            rebuilt = mac(rebuilt with { Hash = hash.ToString() }, hash);
            await WriteAsync(service, council, JournalChains.CheckpointStreamId, i + 1, rebuilt);
            previous = JournalHash.Parse(rebuilt.Hash);
        }
    }

    public static Task<string?> HeadHashAsync(TestService service, string council, Guid chain) =>
        ScalarAsync<string>(service, "select data->>'LastHash' from caseexchange.mt_doc_journalchainhead where tenant_id = $1 and id = $2", council, chain);
}
