using Marten;
using Marten.Patching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaseExchange.Journal.Checkpoints;

public sealed class JournalOptions
{
    public const string Section = "Journal";

    /// <summary>How often the heads of the chains that moved are sealed into the council's checkpoint chain.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Seals the heads of the chains that moved since the previous checkpoint into the council's checkpoint chain.
/// Two sealers racing (two nodes, or the timer and an auditor) cannot both win: the checkpoint is appended at an
/// expected version, and the loser starts again from the new checkpoint.
/// </summary>
public sealed class JournalSealer(IDocumentStore store, TimeProvider clock, ILogger<JournalSealer> logger)
{
    /// <summary>Bounds the size of one checkpoint event; a busier interval gives several checkpoints.</summary>
    public const int MaxHeadsPerCheckpoint = 2000;
    private const int MaxAttempts = 5;

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
                await using var session = store.LightweightSession(council);
                var moved = await session.Query<JournalChainHead>()
                    .Where(h => h.LastSequence > h.SealedSequence)
                    .OrderBy(h => h.Id)
                    .Take(MaxHeadsPerCheckpoint)
                    .ToListAsync(cancellation);
                if (moved.Count == 0) return null;

                var state = await session.Events.FetchStreamStateAsync(JournalChains.CheckpointStreamId, cancellation);
                var last = state is null ? null : await AccessJournal.LastEventAsync(session, JournalChains.CheckpointStreamId, state.Version, cancellation);
                var previous = JournalHash.TryParse((last?.Data as JournalCheckpointSealed)?.Hash, out var p) ? p : JournalHash.Genesis;

                var now = clock.GetUtcNow();
                var checkpoint = new JournalCheckpointSealed(Guid.CreateVersion7(now), (state?.Version ?? 0) + 1, now,
                    [.. moved.Select(h => new SealedChainHead(h.Id, h.SituationId, h.Pseudonym, h.LastSequence, h.LastHash))],
                    previous.ToString(), Hash: "");
                checkpoint = checkpoint with { Hash = JournalHashing.OfCheckpoint(council, checkpoint, previous).ToString() };

                session.Events.Append(JournalChains.CheckpointStreamId, checkpoint.Sequence, checkpoint);
                // A patch, not a store: an append committing meanwhile keeps its new head.
                foreach (var head in moved)
                    session.Patch<JournalChainHead>(head.Id).Set(h => h.SealedSequence, head.LastSequence);
                await session.SaveChangesAsync(cancellation);

                // An anchor outside the database: whoever keeps the logs can later check the chain was not rewritten.
                logger.LogInformation("Journal checkpoint {CheckpointSequence} of council {Council} sealed {ChainCount} chain heads: hash {CheckpointHash}",
                    checkpoint.Sequence, council, checkpoint.Heads.Count, checkpoint.Hash);
                return checkpoint;
            }
            catch (Exception e) when (AccessJournal.IsChainConflict(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellation);
            }
        }
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
