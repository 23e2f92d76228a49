using System.Threading.Channels;
using CaseExchange.Hosting;
using CaseExchange.Http;
using Marten;
using Npgsql;

namespace CaseExchange.Journal;

/// <summary>
/// Group commit for the access journal. Every append waits in one queue; one writer loop takes everything queued (up to
/// <see cref="MaxRound"/> entries) as a round and commits it in one transaction on one connection: the advisory locks of
/// the round's chains in ascending order (two nodes doing the same cannot deadlock), the heads read in one
/// <c>LoadMany</c> per council, the entries built in memory (several entries of one chain chained one after the other),
/// one Marten session per council on the same transaction for the appends and head upserts, one commit. Only then is
/// each waiter given its entry. While a round commits the next one fills, so rounds are as large as the load makes them
/// and a lone append waits for no timer.
/// <para>
/// Fail closed: if anything of a round fails (a statement, the commit, a lost connection), every waiter of the round gets
/// the 503 problem and no receipt. A stale head document retries the round from the streams' heads, as the single
/// append did. When PostgreSQL itself refuses a statement of a round of several entries (a trigger, a constraint, a value
/// it cannot store), the transaction was rolled back whole, so each entry of the round is then tried again in a round of
/// its own: one refused entry does not take the others' openings down with it, and still gets its 503.
/// </para>
/// <para>
/// A waiter that gives up (its request cancelled) leaves its entry in the queue: a journalled access that was not read
/// is allowed, the reverse never. At host shutdown the loop finishes its round and fails whatever is still queued with
/// the 503 problem.
/// </para>
/// </summary>
public sealed class JournalCommitter(IDocumentStore store, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<JournalCommitter> logger)
    : IHostedLifecycleService, IAsyncDisposable
{
    /// <summary>The most entries one round commits.</summary>
    public const int MaxRound = 64;

    public const int MaxAttempts = 4;

    // The two-key form of PostgreSQL advisory locks does not overlap the one-key form other locks use.
    private const int ChainLockClass = 0x4A524E4C; // "JRNL"

    // In array order (ascending), one statement for the whole round.
    private const string LockSql = "select pg_advisory_xact_lock($1, k) from unnest($2::integer[]) with ordinality as l(k, n) order by n";

    // The heads of the round's chains, by council: what the head documents say (verification never trusts them).
    private static readonly string HeadsSql =
        "select h.tenant_id, h.id, (h.data->>'LastSequence')::bigint, h.data->>'LastHash', (h.data->>'SealedSequence')::bigint, h.data->>'SealedHash' " +
        $"from {Database.SchemaName}.mt_doc_journalchainhead h join unnest($1::text[], $2::uuid[]) as w(council, id) on h.tenant_id = w.council and h.id = w.id";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private volatile bool _stopping;

    private sealed record Pending(string Council, JournalRequest Request, TaskCompletionSource<AccessJournalled> Completion)
    {
        public Guid ChainId { get; } = JournalChains.ChainOf(Request.SituationId);
    }

    /// <summary>Rounds committed, and the entries they held, since the start (for the benchmark and the tests).</summary>
    public (long Rounds, long Entries) Committed => (Interlocked.Read(ref _rounds), Interlocked.Read(ref _entries));

    /// <summary>Entries waiting for a round (for the tests).</summary>
    public int Queued => Volatile.Read(ref _queued);

    private int _queued;

    private long _rounds;
    private long _entries;

    /// <summary>
    /// Queues the entry and returns it once its round has committed; throws the 503 problem if that round could not be.
    /// The caller's cancellation ends its wait only: the entry stays queued and is journalled all the same.
    /// </summary>
    public Task<AccessJournalled> CommitAsync(string council, JournalRequest request, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var pending = new Pending(council, request, new TaskCompletionSource<AccessJournalled>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _queued);
        if (_stopping || !_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ProblemException(AccessJournal.Unavailable());
        }
        EnsureStarted();
        return pending.Completion.Task.WaitAsync(cancellation);
    }

    private Task EnsureStarted()
    {
        if (Volatile.Read(ref _loop) is { } running) return running;
        lock (_gate) return _loop ??= Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var round = new List<Pending>(MaxRound);
        try
        {
            while (!_stopping && await _queue.Reader.WaitToReadAsync(_abort.Token))
            {
                if (_stopping) break;
                while (round.Count < MaxRound && _queue.Reader.TryRead(out var pending)) round.Add(pending);
                Interlocked.Add(ref _queued, -round.Count);
                await CommitRoundAsync(round, _abort.Token);
                round.Clear();
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
        finally
        {
            // Stopped: nothing more is queued or committed, and nobody is left waiting.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var pending)) round.Add(pending);
            foreach (var pending in round) pending.Completion.TrySetException(new ProblemException(AccessJournal.Unavailable()));
        }
    }

    /// <summary>Commits one round and completes each of its waiters; never throws.</summary>
    private async Task CommitRoundAsync(IReadOnlyList<Pending> round, CancellationToken cancellation)
    {
        try
        {
            var entries = await WriteAsync(round, cancellation);
            Interlocked.Increment(ref _rounds);
            Interlocked.Add(ref _entries, round.Count);
            for (var i = 0; i < round.Count; i++) round[i].Completion.TrySetResult(entries[i]);
        }
        catch (Exception e) when (round.Count > 1 && IsRefusedByTheServer(e))
        {
            // The whole transaction was rolled back by PostgreSQL: nothing of the round is committed. Each entry alone.
            logger.LogWarning("A journal round of {EntryCount} entries was refused by the database ({ExceptionType}); its entries are tried one by one",
                round.Count, e.GetType().Name);
            foreach (var pending in round) await CommitRoundAsync([pending], cancellation);
        }
        catch (Exception e)
        {
            // The exception's type only: messages from lower layers may quote row data.
            logger.LogError("The access journal of council {Council} could not be written ({ExceptionType}); nothing is returned",
                string.Join(",", round.Select(p => p.Council).Distinct()), e.GetType().Name);
            foreach (var pending in round) pending.Completion.TrySetException(new ProblemException(AccessJournal.Unavailable()));
        }
    }

    private async Task<AccessJournalled[]> WriteAsync(IReadOnlyList<Pending> round, CancellationToken cancellation)
    {
        var headsFromStream = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(round, headsFromStream, cancellation);
            }
            catch (Exception e) when (AccessJournal.IsChainConflict(e) && attempt < MaxAttempts)
            {
                // A head moved although we held its chain's lock: a head document is behind its stream.
                headsFromStream = true;
            }
        }
    }

    private async Task<AccessJournalled[]> WriteOnceAsync(IReadOnlyList<Pending> round, bool headsFromStream, CancellationToken cancellation)
    {
        var entries = new AccessJournalled[round.Count];
        var sessions = new List<IDocumentSession>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        try
        {
            // The chains' locks, then (in the same round trip, once they are held) the heads their predecessors committed.
            var chains = round.Select(p => (p.Council, p.ChainId)).Distinct().ToArray();
            var heads = new Dictionary<(string Council, Guid ChainId), JournalChainHead?>();
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSql)
                {
                    Parameters = { new() { Value = ChainLockClass }, new() { Value = chains.Select(c => LockKey(c.ChainId)).Distinct().Order().ToArray() } },
                });
                if (!headsFromStream)
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(HeadsSql)
                    {
                        Parameters = { new() { Value = chains.Select(c => c.Council).ToArray() }, new() { Value = chains.Select(c => c.ChainId).ToArray() } },
                    });
                await using var reader = await batch.ExecuteReaderAsync(cancellation);
                if (!headsFromStream && await reader.NextResultAsync(cancellation))
                    while (await reader.ReadAsync(cancellation))
                        heads[(reader.GetString(0), reader.GetGuid(1))] = new JournalChainHead
                        {
                            Id = reader.GetGuid(1),
                            LastSequence = reader.IsDBNull(2) ? 0 : reader.GetInt64(2),
                            LastHash = reader.IsDBNull(3) ? "" : reader.GetString(3),
                            SealedSequence = reader.IsDBNull(4) ? 0 : reader.GetInt64(4),
                            SealedHash = reader.IsDBNull(5) ? "" : reader.GetString(5),
                        };
            }

            foreach (var council in round.Select(p => p.Council).Distinct())
            {
                var options = Marten.Services.SessionOptions.ForTransaction(transaction);
                options.TenantId = council;
                var session = store.LightweightSession(options);
                sessions.Add(session);

                var indexes = Enumerable.Range(0, round.Count).Where(i => round[i].Council == council).ToList();
                if (headsFromStream)
                    foreach (var chainId in indexes.Select(i => round[i].ChainId).Distinct())
                        heads[(council, chainId)] = await HeadFromStreamAsync(session, chainId, cancellation);

                foreach (var chain in indexes.GroupBy(i => round[i].ChainId))
                {
                    var head = heads.GetValueOrDefault((council, chain.Key));
                    var appended = new List<object>();
                    foreach (var i in chain)
                    {
                        var request = round[i].Request;
                        var entry = AccessJournal.Entry(council, request, head, clock.GetUtcNow());
                        entries[i] = entry;
                        appended.Add(entry);
                        head = new JournalChainHead
                        {
                            Id = chain.Key, SituationId = request.SituationId, Pseudonym = request.Pseudonym,
                            LastSequence = entry.Sequence, LastHash = entry.Hash, LastAt = entry.At,
                            SealedSequence = head?.SealedSequence ?? 0, SealedHash = head?.SealedHash ?? "",
                        };
                    }
                    session.Events.Append(chain.Key, head!.LastSequence, [.. appended]);
                    session.Store(head);
                }
                await session.SaveChangesAsync(cancellation);
            }

            await transaction.CommitAsync(cancellation);
            return entries;
        }
        finally
        {
            foreach (var session in sessions) await session.DisposeAsync();
        }
    }

    private static int LockKey(Guid chainId) => BitConverter.ToInt32(chainId.ToByteArray());

    private static async Task<JournalChainHead?> HeadFromStreamAsync(IDocumentSession session, Guid chainId, CancellationToken cancellation)
    {
        var state = await session.Events.FetchStreamStateAsync(chainId, cancellation);
        if (state is null) return null;
        var last = await AccessJournal.LastEventAsync(session, chainId, state.Version, cancellation);
        var document = await session.LoadAsync<JournalChainHead>(chainId, cancellation);
        return new JournalChainHead
        {
            Id = chainId, LastSequence = state.Version, LastHash = (last?.Data as AccessJournalled)?.Hash ?? "",
            SealedSequence = document?.SealedSequence ?? 0, SealedHash = document?.SealedHash ?? "",
        };
    }

    /// <summary>
    /// PostgreSQL refused a statement of the round (a trigger's exception, a constraint, a value it cannot store, a chain
    /// that stayed in conflict): the transaction is rolled back whole, and the connection still answers. A lost connection
    /// or a failed commit whose outcome is unknown is not one of these: the round then simply fails.
    /// </summary>
    private static bool IsRefusedByTheServer(Exception exception)
    {
        if (AccessJournal.IsChainConflict(exception)) return true;
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: var state } && (state.StartsWith("P0") || state.StartsWith("22") || state.StartsWith("23")))
                return true;
        return false;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Started by the first append.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service stopped (the web server has drained its requests): the loop finishes its round and stops.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) => ShutDownAsync(cancellationToken);

    private async Task ShutDownAsync(CancellationToken cancellation)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        var loop = EnsureStarted();
        try
        {
            await loop.WaitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the round in flight is abandoned, its waiters get the 503 problem (committed or not, nothing was read).
            await _abort.CancelAsync();
            await loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ShutDownAsync(timeout.Token);
        _abort.Dispose();
    }
}
