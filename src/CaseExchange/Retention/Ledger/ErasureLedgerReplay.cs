using CaseExchange.Protection;
using CaseExchange.Situations;
using Marten;
using Npgsql;

namespace CaseExchange.Retention.Ledger;

public sealed record ErasureLedgerReplayReport(int Listed, int ErasedAgain, int AddedToLedger, bool LedgerIntact);

/// <summary>
/// At start-up, before the service serves anything: every situation the ledger lists whose key still exists (a
/// database restored from a backup older than its erasure) is erased again; and every erasure the database knows
/// but the ledger misses (a crash between the commit and the ledger line) is appended to the ledger. A failure stops
/// the start: a node that cannot re-apply the ledger must not serve data that was erased.
/// </summary>
public sealed class ErasureLedgerReplay(
    ErasureLedger ledger, IDocumentStore store, NpgsqlDataSource dataSource, NominativeErasure erasure, SituationKeys keys,
    ILogger<ErasureLedgerReplay> logger) : IHostedService
{
    public ErasureLedgerReplayReport? LastReport { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!ledger.IsEnabled)
        {
            logger.LogWarning("No erasure ledger configured (ErasureLedger:Directory): a database restored from an older backup " +
                              "could hold nominative data erased since. See deploy/README.md");
            return;
        }
        LastReport = await ReplayAsync(cancellationToken);
    }

    public async Task<ErasureLedgerReplayReport> ReplayAsync(CancellationToken cancellation = default)
    {
        var report = await ledger.ReadAsync(cancellation);
        if (!report.Intact)
            logger.LogError("The erasure ledger {Path} is broken: {Breaks} broken links; its readable entries are applied anyway. " +
                            "Run erasure-ledger verify and restore the ledger from its off-site copy", report.Path, report.Breaks.Count);

        var erasedAgain = 0;
        foreach (var entry in report.Entries)
        {
            await using var session = store.LightweightSession(entry.Council);
            if (await keys.LoadWrappedAsync(entry.Council, entry.SituationId, cancellation) is null) continue;
            var situation = await session.LoadAsync<Situation>(entry.SituationId, cancellation);
            if (situation is { IsErased: false })
            {
                await erasure.EraseAsync(entry.Council, entry.SituationId,
                    new NominativeDataErased(entry.SituationId, entry.Cause, entry.OrderedBy, entry.ErasedAt), cancellation);
            }
            else
            {
                // A key without a live situation to record it on: destroy the key alone.
                keys.Destroy(session, entry.SituationId);
                await session.SaveChangesAsync(cancellation);
            }
            erasedAgain++;
        }
        if (erasedAgain > 0)
            logger.LogWarning("Erasure ledger re-applied: {Count} situation(s) erased again (the database predates their erasure)", erasedAgain);

        var added = 0;
        var listed = report.Entries.Select(e => (e.Council, e.SituationId)).ToHashSet();
        foreach (var council in await CouncilsAsync(cancellation))
        {
            await using var session = store.QuerySession(council);
            var erased = await session.Query<Situation>().Where(s => s.NominativeDataErasedAt != null).ToListAsync(cancellation);
            foreach (var situation in erased.Where(s => !listed.Contains((council, s.Id))))
            {
                if (await ledger.AppendAsync(council, situation.Id, situation.Pseudonym, situation.ErasureCause ?? "", null,
                        situation.NominativeDataErasedAt!.Value, cancellation))
                    added++;
            }
        }
        if (added > 0) logger.LogWarning("Erasure ledger completed with {Count} erasure(s) recorded only in the database", added);

        return new ErasureLedgerReplayReport(report.Entries.Count, erasedAgain, added, report.Intact);
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
