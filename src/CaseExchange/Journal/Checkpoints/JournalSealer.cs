using CaseExchange.Hosting;
using Marten;
using Marten.Patching;
using Microsoft.Extensions.Options;
using CaseExchange.Http;
using CaseExchange.Journal.Verification;
using Npgsql;

namespace CaseExchange.Journal.Checkpoints;

public sealed class JournalOptions
{
    public const string Section = "Journal";

    /// <summary>How often the heads of the chains that moved are sealed into the council's checkpoint chain.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A file holding the secret (at least 32 bytes) that authenticates checkpoints, outside the database. When unset,
    /// the key is derived from the key ring certificate's private key (see <see cref="JournalCheckpointKey"/>).
    /// </summary>
    public string? CheckpointKeyFile { get; set; }

    /// <summary>Files of keys that sealed earlier checkpoints (before a rotation): verification still accepts them.</summary>
    public List<string> RetiredCheckpointKeyFiles { get; set; } = [];

    /// <summary>
    /// Checkpoints sealed before checkpoints were authenticated (format 1) are accepted up to this sequence only; 0
    /// (the default) accepts none. Set it once, at the upgrade, from the DPO's exported list.
    /// </summary>
    public long AcceptUnkeyedCheckpointsUpTo { get; set; }
}

/// <summary>
/// Seals the heads of the chains that moved since the previous checkpoint into the council's checkpoint chain.
/// Sealing is serialised per council on every path (timer, auditor endpoints, <c>journal-verify</c>): each checkpoint
/// is made in one transaction that first takes a transaction-scoped advisory lock of the council, then reads the moved
/// heads and the checkpoint chain's version, so no head is ever sealed twice and no sealer loses a race.
/// The head documents only say which chains moved: the sealer reads each chain from its last sealed entry to its end,
/// recomputes every hash and link, and seals the last entry it read; a chain that does not link, or whose head
/// document names an entry the chain does not hold, is not sealed (verification reports it).
/// </summary>
public sealed class JournalSealer(IDocumentStore store, NpgsqlDataSource dataSource, JournalCheckpointKey key, TimeProvider clock,
    ILogger<JournalSealer> logger)
{
    /// <summary>Bounds the size of one checkpoint event; a busier interval gives several checkpoints.</summary>
    public const int MaxHeadsPerCheckpoint = 2000;
    private const int MaxAttempts = 5;

    // Two-key advisory locks (class, council): distinct from the chains' "JRNL" class.
    private const int SealLockClass = 0x4A534C44; // "JSLD"

    private static readonly string ChainsSql =
        $"select e.stream_id, e.version, e.data from {Database.SchemaName}.mt_events e " +
        "join unnest($2::uuid[], $3::bigint[]) as m(id, from_version) on e.stream_id = m.id and e.version >= m.from_version " +
        "where e.tenant_id = $1 and e.type = $4 order by e.stream_id, e.version";

    /// <summary>Seals every chain of the council that moved; returns the checkpoints appended (none if nothing moved).</summary>
    public async Task<IReadOnlyList<JournalCheckpointSealed>> SealAsync(string council, CancellationToken cancellation = default)
    {
        var sealedNow = new List<JournalCheckpointSealed>();
        while (await SealOnceAsync(council, cancellation) is { } checkpoint)
        {
            sealedNow.Add(checkpoint);
            if (checkpoint.Heads.Count < MaxHeadsPerCheckpoint) break;
        }
        return sealedNow;
    }

    /// <summary>Seals every council whose journal moved since its last checkpoint.</summary>
    public async Task SealAllCouncilsAsync(CancellationToken cancellation = default)
    {
        IReadOnlyList<string> councils;
        await using (var session = store.QuerySession())
        {
            var heads = await session.Query<JournalChainHead>()
                .Where(h => h.AnyTenant() && h.LastSequence > h.SealedSequence)
                .ToListAsync(cancellation);
            councils = [.. heads.Select(h => h.TenantId).OfType<string>().Distinct()];
        }
        foreach (var council in councils) await SealAsync(council, cancellation);
    }

    private async Task<JournalCheckpointSealed?> SealOnceAsync(string council, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellation);
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                await using (var queue = new NpgsqlCommand("select pg_advisory_xact_lock($1, hashtext($2))", connection, transaction))
                {
                    queue.Parameters.Add(new NpgsqlParameter { Value = SealLockClass });
                    queue.Parameters.Add(new NpgsqlParameter { Value = council });
                    await queue.ExecuteNonQueryAsync(cancellation);
                }

                var sessionOptions = Marten.Services.SessionOptions.ForTransaction(transaction);
                sessionOptions.TenantId = council;
                await using var session = store.LightweightSession(sessionOptions);
                var moved = await session.Query<JournalChainHead>()
                    .Where(h => h.LastSequence > h.SealedSequence)
                    .OrderBy(h => h.Id)
                    .Take(MaxHeadsPerCheckpoint)
                    .ToListAsync(cancellation);
                if (moved.Count == 0) return null;

                var heads = await ReadHeadsAsync(connection, transaction, council, moved, cancellation);
                if (heads.Count == 0) return null;

                var state = await session.Events.FetchStreamStateAsync(JournalChains.CheckpointStreamId, cancellation);
                var last = state is null ? null : await AccessJournal.LastEventAsync(session, JournalChains.CheckpointStreamId, state.Version, cancellation);
                var previous = JournalHash.TryParse((last?.Data as JournalCheckpointSealed)?.Hash, out var p) ? p : JournalHash.Genesis;

                var now = clock.GetUtcNow();
                var checkpoint = new JournalCheckpointSealed(Guid.CreateVersion7(now), (state?.Version ?? 0) + 1, now,
                    heads, previous.ToString(), Hash: "", KeyId: key.KeyId);
                var hash = JournalHashing.OfCheckpoint(council, checkpoint, previous);
                checkpoint = checkpoint with { Hash = hash.ToString(), Mac = key.Mac(council, hash) };

                session.Events.Append(JournalChains.CheckpointStreamId, checkpoint.Sequence, checkpoint);
                // A patch, not a store: an append committing meanwhile keeps its new head.
                foreach (var head in heads)
                    session.Patch<JournalChainHead>(head.ChainId).Set(h => h.SealedSequence, head.Sequence).Set(h => h.SealedHash, head.Hash);
                await session.SaveChangesAsync(cancellation);
                await transaction.CommitAsync(cancellation);

                // An anchor outside the database: whoever keeps the logs can later check the chain was not rewritten.
                logger.LogInformation("Journal checkpoint {CheckpointSequence} of council {Council} sealed {ChainCount} chain heads: hash {CheckpointHash}",
                    checkpoint.Sequence, council, checkpoint.Heads.Count, checkpoint.Hash);
                return checkpoint;
            }
            catch (Exception e) when (AccessJournal.IsChainConflict(e) && attempt < MaxAttempts)
            {
                // Only a sealer that does not take the council's lock (an older version of the service) can get here.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellation);
            }
        }
    }

    /// <summary>
    /// Reads the moved chains from their last sealed entry (from the start when that one is unknown) in one query, and
    /// returns the heads that may be sealed: the last entry of each chain that links, hash by hash, to what was sealed.
    /// </summary>
    private async Task<List<SealedChainHead>> ReadHeadsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string council,
        IReadOnlyList<JournalChainHead> moved, CancellationToken cancellation)
    {
        var from = moved.ToDictionary(h => h.Id, h => JournalHash.TryParse(h.SealedHash, out _) && h.SealedSequence > 0 ? h.SealedSequence : 0);
        var rows = new Dictionary<Guid, List<(ChainRow Row, Guid SituationId, string Pseudonym)>>();
        await using (var command = new NpgsqlCommand(ChainsSql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = council });
            command.Parameters.Add(new NpgsqlParameter { Value = moved.Select(h => h.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = moved.Select(h => from[h.Id]).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = JournalEventTypes.Entry });
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var streamId = reader.GetGuid(0);
                var version = reader.GetInt64(1);
                var identity = default(JournalVerifier.ChainIdentity);
                var row = JournalVerifier.ReadEntry(council, streamId, version, reader.GetFieldValue<byte[]>(2), ref identity);
                if (!rows.TryGetValue(streamId, out var chain)) rows[streamId] = chain = [];
                chain.Add((row, identity.SituationId ?? Guid.Empty, identity.Pseudonym ?? ""));
            }
        }

        var heads = new List<SealedChainHead>(moved.Count);
        foreach (var document in moved)
        {
            var chain = rows.GetValueOrDefault(document.Id) ?? [];
            var refusal = SealingRules.Refusal(chain.Select(c => c.Row).ToList(), from[document.Id], document);
            if (refusal is not null)
            {
                // Ids and positions only: nothing nominative.
                logger.LogWarning("Journal chain {ChainId} of council {Council} not sealed: {Refusal}", document.Id, council, refusal);
                continue;
            }
            var (row, situationId, pseudonym) = chain[^1];
            heads.Add(new SealedChainHead(document.Id, situationId, pseudonym, row.Version, row.Stored.ToString()));
        }
        return heads;
    }
}

/// <summary>Whether a chain read from its last sealed entry may be sealed. Pure: no database, no clock.</summary>
public static class SealingRules
{
    /// <summary>Null if the rows (from <paramref name="from"/>, or from the first entry when 0) link and match the head document; else why not.</summary>
    public static string? Refusal(IReadOnlyList<ChainRow> rows, long from, JournalChainHead document)
    {
        if (rows.Count == 0) return "the chain has no entries where its head document says";
        var previous = JournalHash.Genesis;
        var expected = from == 0 ? 1 : from;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!row.Readable || !row.InChain) return $"entry {row.Version} is unreadable or belongs to another chain";
            if (row.Version != expected || row.Sequence != row.Version) return $"entry {expected} is missing or out of place";
            if (row.Computed != row.Stored) return $"entry {row.Version} does not match its hash";
            if (i == 0 && from > 0)
            {
                if (row.Stored.ToString() != document.SealedHash) return $"entry {row.Version} is not the entry last sealed";
            }
            else if (row.Previous != previous) return $"entry {row.Version} does not link to entry {row.Version - 1}";
            previous = row.Stored;
            expected++;
        }
        var last = rows[^1];
        if (document.LastSequence > last.Version) return $"the head document names entry {document.LastSequence}, which the chain does not hold";
        if (document.LastSequence == last.Version && last.Stored.ToString() != document.LastHash)
            return $"entry {last.Version} is not the entry the head document names";
        return null;
    }
}

/// <summary>
/// Seals every council's journal periodically (Journal:CheckpointInterval), on one node at a time: the node holding
/// a PostgreSQL advisory lock does the round, the others skip it.
/// </summary>
internal sealed class JournalCheckpointTimer(JournalSealer sealer, NpgsqlDataSource dataSource, IOptions<JournalOptions> options,
    TimeProvider clock, ILogger<JournalCheckpointTimer> logger) : BackgroundService
{
    // "CaseJrnl" as a number: the key of the advisory lock that elects the node sealing this round.
    internal const long LockKey = 0x436173654A726E6C;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SealUnderLockAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Journal checkpoint round failed ({ExceptionType}); the next round will seal what is left", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: seals every council if this node wins the lock; false if another node is sealing.</summary>
    internal async Task<bool> SealUnderLockAsync(CancellationToken cancellation)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using (var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = LockKey } } })
        {
            if (await take.ExecuteScalarAsync(cancellation) is not true) return false;
        }
        try
        {
            await sealer.SealAllCouncilsAsync(cancellation);
            return true;
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = LockKey } } };
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
