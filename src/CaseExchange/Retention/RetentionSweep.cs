using CaseExchange.Journal;
using System.Collections.Concurrent;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using Marten;
using Npgsql;

namespace CaseExchange.Retention;

public sealed class RetentionOptions
{
    public const string Section = "Retention";
    public bool Enabled { get; set; } = true;
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed record SweepReport(DateTimeOffset StartedAt, int Councils, int Examined, int Erased);

/// <summary>
/// The retention engine. Its schedule is the event store itself (closure dates, and the birth dates sealed in
/// each referral), so nothing is lost on restart; every node runs this loop, and a PostgreSQL advisory lock makes
/// the nodes sweep one after the other, never together. Each sweep erases every situation whose due instant has passed; erasure is
/// idempotent and optimistic, so a situation is erased exactly once however many sweeps see it.
/// </summary>
public sealed class RetentionSweeper(
    IDocumentStore store, NpgsqlDataSource dataSource, PersonsConcerned personsConcerned, NominativeErasure erasure, SituationKeys keys, CharterPolicy policy,
    TimeProvider clock, Microsoft.Extensions.Options.IOptions<RetentionOptions> options, ILogger<RetentionSweeper> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x43455f5245544e; // "CE_RETN"

    // Age limits derive from sealed birth dates and never change: decrypt once per process, keep in memory only.
    private readonly ConcurrentDictionary<(string Council, Guid Situation, int AgeLimitYears), DateTimeOffset?> _ageLimits = new();
    private readonly object _gate = new();
    private readonly List<(DateTimeOffset NotBefore, TaskCompletionSource<SweepReport> Done)> _waiters = [];
    private SweepReport? _lastCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Retried at the next tick; types only, messages may quote data.
                logger.LogError("Retention sweep failed: {ExceptionType}", e.GetType().FullName);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Completes when a sweep that started at or after <paramref name="notBefore"/> (service clock) has finished.</summary>
    public Task<SweepReport> WhenSweptAsync(DateTimeOffset notBefore)
    {
        var done = new TaskCompletionSource<SweepReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lastCompleted is { } last && last.StartedAt >= notBefore) done.SetResult(last);
            else _waiters.Add((notBefore, done));
        }
        return done.Task;
    }

    public async Task<SweepReport> SweepAsync(CancellationToken cancellation = default)
    {
        var startedAt = clock.GetUtcNow();
        var report = await SweepUnderLockAsync(startedAt, cancellation);
        lock (_gate)
        {
            if (_lastCompleted is null || report.StartedAt >= _lastCompleted.StartedAt) _lastCompleted = report;
            foreach (var waiter in _waiters.Where(w => w.NotBefore <= startedAt).ToList())
            {
                waiter.Done.TrySetResult(report);
                _waiters.Remove(waiter);
            }
        }
        return report;
    }

    private async Task<SweepReport> SweepUnderLockAsync(DateTimeOffset now, CancellationToken cancellation)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellation);
        // Waits for another node's sweep to end; the session's lock dies with its connection if a node crashes.
        await using (var takeLock = new NpgsqlCommand("select pg_advisory_lock($1)", lockConnection) { Parameters = { new() { Value = AdvisoryLockKey } } })
            await takeLock.ExecuteScalarAsync(cancellation);
        try
        {
            var councils = await CouncilsAsync(cancellation);
            int examined = 0, erased = 0;
            foreach (var council in councils)
            {
                var (e, x) = await SweepCouncilAsync(council, now, cancellation);
                examined += e;
                erased += x;
            }
            if (erased > 0)
            {
                logger.LogInformation("Retention sweep erased {Erased} situation(s) of {Examined}", erased, examined);
                // Once per sweep: the erased keys' bytes leave the table's file and the WAL.
                await keys.PurgeErasedAsync(cancellation);
            }
            return new SweepReport(now, councils.Count, examined, erased);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", lockConnection) { Parameters = { new() { Value = AdvisoryLockKey } } };
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<string>> CouncilsAsync(CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            "select distinct tenant_id from caseexchange.mt_streams where type = 'council'");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var councils = new List<string>();
        while (await reader.ReadAsync(cancellation)) councils.Add(reader.GetString(0));
        return councils;
    }

    private async Task<(int Examined, int Erased)> SweepCouncilAsync(string council, DateTimeOffset now, CancellationToken cancellation)
    {
        await using var session = store.QuerySession(council);
        // The council's own charter version may keep data for less long than the deployment's.
        var retention = policy.For(await session.LoadAsync<Council>(Council.StreamId, cancellation)).Retention;
        var live = await session.Query<Situation>().Where(s => s.NominativeDataErasedAt == null).ToListAsync(cancellation);
        var erased = 0;
        foreach (var situation in live)
        {
            var ageLimit = await AgeLimitAsync(session, council, situation, retention, cancellation);
            var due = RetentionDates.Due(situation.ClosedAt, ageLimit, retention);
            if (due is null || due.At > now) continue;
            if (await erasure.EraseAsync(council, situation.Id, due.Cause, orderedBy: null, now, cancellation)) erased++;
            _ageLimits.TryRemove((council, situation.Id, retention.AgeLimitYears), out _);
        }
        return (live.Count, erased);
    }

    private async Task<DateTimeOffset?> AgeLimitAsync(IQuerySession session, string council, Situation situation, RetentionPolicy retention,
        CancellationToken cancellation)
    {
        if (!situation.PersonRoles.Any(retention.AgeLimitAppliesToRoles.Contains)) return null;
        if (_ageLimits.TryGetValue((council, situation.Id, retention.AgeLimitYears), out var cached)) return cached;

        // Journalled as the service's own check: who decrypted (the system), which situation, why.
        var persons = await personsConcerned.OpenAsync(session, [situation], ServerCheck.BySystem(JournalActions.Checks.RetentionDate), cancellation);
        var limit = RetentionDates.AgeLimitReached(persons.Select(p => (p.Sealed.Role, p.Identity.DateNaissance)), situation.ReferredAt, retention);
        _ageLimits[(council, situation.Id, retention.AgeLimitYears)] = limit;
        return limit;
    }
}
