using CaseExchange.Situations;
using Marten;
using Npgsql;

namespace CaseExchange.Protection;

/// <summary>
/// Start-up migration: every live situation that has no row in the identity index (referred before the index
/// existed) is decrypted once, server-side, and indexed. Situations already indexed are skipped, so a restart does
/// nothing; erased situations have no key and are not indexed. Runs before the service answers requests, after moving
/// the rows of the index's former shape (<see cref="IdentityIndex.MigrateFromLegacy"/>).
/// </summary>
public sealed class IdentityIndexBackfill(
    IDocumentStore store, NpgsqlDataSource dataSource, IdentityIndex index, PersonsConcerned persons, ILogger<IdentityIndexBackfill> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A database written by a version that kept one row per term: its rows move to one row per person first (one
        // transaction; nothing to do afterwards), so the councils marked as back-filled stay fully indexed.
        await using (var migration = dataSource.CreateCommand(IdentityIndex.MigrateFromLegacy))
        {
            migration.CommandTimeout = 0;
            await migration.ExecuteNonQueryAsync(cancellationToken);
        }
        var indexed = 0;
        foreach (var council in await CouncilsAsync(cancellationToken))
        {
            try
            {
                indexed += await IndexCouncilAsync(council, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // E.g. a key ring that cannot unwrap this council's keys: its situations stay unindexed until the next
                // start, and its guards fail closed (503) meanwhile. Types only: messages may quote data.
                logger.LogError("Identity index back-fill failed for council {Council} ({ExceptionType})", council, e.GetType().Name);
            }
        }
        if (indexed > 0) logger.LogInformation("Identity index: {Count} situation(s) indexed at start-up", indexed);
    }

    private async Task<int> IndexCouncilAsync(string council, CancellationToken cancellationToken)
    {
        // Once a council's back-fill has completed, every situation is indexed in its referral's transaction: a restart
        // reads one row here, not the council's history (README, "Growth with a council's history").
        if (await index.BackfillCompletedAsync(council, cancellationToken)) return 0;
        var missingIds = await index.UnindexedLiveSituationsAsync(council, cancellationToken);
        if (missingIds.Count > 0)
        {
            await using var session = store.LightweightSession(council);
            var missing = await session.LoadManyAsync<Situation>(cancellationToken, missingIds);
            foreach (var group in (await persons.OpenAsync(session, missing, ServerCheck.BySystem(Journal.JournalActions.Checks.IdentityIndexing), cancellationToken)).GroupBy(p => p.SituationId))
                await index.IndexAsync(session, group.Key,
                    group.Select(p => new PersonToIndex(p.Sealed.PersonId, p.Sealed.Role, p.Identity)), cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
        }
        // Only once everything is indexed: a failure above (e.g. keys that cannot be unwrapped) leaves the council to the next start.
        await index.MarkBackfillCompletedAsync(council, cancellationToken);
        return missingIds.Count;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<IReadOnlyList<string>> CouncilsAsync(CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("select distinct tenant_id from caseexchange.mt_streams where type = 'council'");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var councils = new List<string>();
        while (await reader.ReadAsync(cancellation)) councils.Add(reader.GetString(0));
        return councils;
    }
}
