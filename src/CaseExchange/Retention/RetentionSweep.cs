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

    /// <summary>Live situations read, and their birth dates decrypted, this many at a time: the sweep's memory does not grow with the council.</summary>
    public int SweepPageSize { get; set; } = 500;

    /// <summary>
    /// How long a situation whose age limit is further away is not decrypted again. The process remembers only "not before
    /// this instant" for it (the same instant for a whole page, nothing of its birth dates); exact age limits are kept only
    /// for the few due within this horizon.
    /// </summary>
    public TimeSpan AgeCheckHorizon { get; set; } = TimeSpan.FromDays(30);
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

    // What the process remembers of the age limits it decrypted, in memory only: the exact limit when it falls within the
    // horizon (about to be erased), otherwise only when to look again, or that no limit applies.
    // Keyed by the age limit too: a council's new charter version may shorten it.
    private readonly ConcurrentDictionary<(string Council, Guid Situation, int AgeLimitYears), AgeCheck> _ageChecks = new();

    private readonly record struct AgeCheck(DateTimeOffset? At, bool Exact)
    {
        public static readonly AgeCheck None = new(null, true);
    }
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

    /// <summary>
    /// One council, page by page in the order of the situations' ids (keyset: each page starts after the last id of the
    /// previous one), the persons of a page decrypted together and dropped with it: memory is one page, whatever the
    /// council's size. A situation erased meanwhile only leaves the live set; it never shifts a page.
    /// </summary>
    private async Task<(int Examined, int Erased)> SweepCouncilAsync(string council, DateTimeOffset now, CancellationToken cancellation)
    {
        var pageSize = Math.Max(1, options.Value.SweepPageSize);
        int examined = 0, erased = 0;
        var after = Guid.Empty;
        RetentionPolicy retention;
        await using (var session = store.QuerySession(council))
            // The council's own charter version may keep data for less long than the deployment's.
            retention = policy.For(await session.LoadAsync<Council>(Council.StreamId, cancellation)).Retention;
        while (true)
        {
            IReadOnlyList<Situation> page;
            await using (var session = store.QuerySession(council))
            {
                page = await session.QueryAsync<Situation>(
                    "where tenant_id = ? and data ->> 'NominativeDataErasedAt' is null and id > ? order by id limit ?",
                    cancellation, council, after, pageSize);
                if (page.Count == 0) break;
                var ageLimits = await AgeLimitsAsync(session, council, page, retention, now, cancellation);
                foreach (var situation in page)
                {
                    var due = RetentionDates.Due(situation.ClosedAt, ageLimits.GetValueOrDefault(situation.Id), retention);
                    if (due is null || due.At > now) continue;
                    if (await erasure.EraseAsync(council, situation.Id, due.Cause, orderedBy: null, now, cancellation)) erased++;
                    _ageChecks.TryRemove((council, situation.Id, retention.AgeLimitYears), out _);
                }
            }
            examined += page.Count;
            if (page.Count < pageSize) break;
            after = page[^1].Id;
        }
        return (examined, erased);
    }

    /// <summary>
    /// The age limits of one page's situations that are known or due to be known by now: the others' persons are opened
    /// together (one query for their events, one journalled server check per situation). A limit beyond the horizon is
    /// returned for this sweep but remembered only as "look again at the horizon".
    /// </summary>
    private async Task<Dictionary<Guid, DateTimeOffset?>> AgeLimitsAsync(IQuerySession session, string council, IReadOnlyList<Situation> page,
        RetentionPolicy retention, DateTimeOffset now, CancellationToken cancellation)
    {
        var limits = new Dictionary<Guid, DateTimeOffset?>();
        var toOpen = new List<Situation>();
        foreach (var situation in page)
        {
            if (!situation.PersonRoles.Any(retention.AgeLimitAppliesToRoles.Contains)) continue;
            if (_ageChecks.TryGetValue((council, situation.Id, retention.AgeLimitYears), out var known) && (known.Exact || known.At > now))
            {
                // Not exact: not due before that instant, which is later than now, so no age limit falls in this sweep.
                if (known.Exact) limits[situation.Id] = known.At;
                continue;
            }
            toOpen.Add(situation);
        }
        if (toOpen.Count == 0) return limits;

        // Journalled as the service's own check: who decrypted (the system), which situation, why.
        ILookup<Guid, PersonConcerned> persons;
        try
        {
            persons = (await personsConcerned.OpenAsync(session, toOpen, ServerCheck.BySystem(JournalActions.Checks.RetentionDate), cancellation))
                .ToLookup(p => p.SituationId);
        }
        finally
        {
            // The keys unwrapped for this page leave memory with it: a sweep does not fill the key cache with the council.
            foreach (var situation in toOpen) keys.Forget(council, situation.Id);
        }
        var horizon = now + options.Value.AgeCheckHorizon;
        foreach (var situation in toOpen)
        {
            var limit = RetentionDates.AgeLimitReached(persons[situation.Id].Select(p => (p.Sealed.Role, p.Identity.DateNaissance)), situation.ReferredAt,
                retention);
            limits[situation.Id] = limit;
            _ageChecks[(council, situation.Id, retention.AgeLimitYears)] = limit switch
            {
                null => AgeCheck.None,
                { } at when at <= horizon => new AgeCheck(at, Exact: true),
                _ => new AgeCheck(horizon, Exact: false),
            };
        }
        return limits;
    }
}
