using CaseExchange.Protection;
using CaseExchange.Retention.Ledger;
using CaseExchange.Situations;
using Marten;

namespace CaseExchange.Retention;

/// <summary>
/// Crypto-shredding: the situation's key is destroyed and <see cref="NominativeDataErased"/> is appended, in one
/// transaction. Every sealed value of the stream becomes unreadable; the non-nominative skeleton stays, so
/// statistics and the access journal stay true. Idempotent, and optimistic: of two nodes erasing at once, one
/// commits and the other finds the work done — exactly one erasure event.
/// </summary>
public sealed class NominativeErasure(IDocumentStore store, SituationKeys keys, ErasureLedger ledger, ILogger<NominativeErasure> logger)
{
    /// <returns>true if this call erased; false if the data was already erased.</returns>
    public Task<bool> EraseAsync(string council, Guid situationId, string cause, Guid? orderedBy, DateTimeOffset now,
        CancellationToken cancellation = default) =>
        EraseAsync(council, situationId, new NominativeDataErased(situationId, cause, orderedBy, now), cancellation);

    public async Task<bool> EraseAsync(string council, Guid situationId, NominativeDataErased erased, CancellationToken cancellation = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession(council);
            var stream = await session.Events.FetchForWriting<Situation>(situationId, cancellation);
            if (stream.Aggregate is null) throw new InvalidOperationException("No such situation in this council.");
            if (stream.Aggregate.IsErased) return false;

            stream.AppendOne(erased);
            keys.Destroy(session, situationId);
            IdentityIndex.Remove(session, situationId);
            try
            {
                await session.SaveChangesAsync(cancellation);
                logger.LogInformation("Nominative data of situation {Pseudonym} erased ({Cause})", stream.Aggregate.Pseudonym, erased.Cause);
                await RecordInLedgerAsync(council, situationId, stream.Aggregate.Pseudonym, erased);
                return true;
            }
            catch (Exception e) when (Http.ConcurrencyFailures.IsConcurrencyFailure(e) && attempt < 5)
            {
                // Someone appended meanwhile (possibly another node erasing): read again and decide again.
            }
        }
    }

    /// <summary>
    /// Outside the database too, so that restoring an older backup cannot bring the data back (see ErasureLedgerReplay).
    /// The erasure is committed already: a ledger that cannot be written is logged, and the next start completes it.
    /// </summary>
    private async Task RecordInLedgerAsync(string council, Guid situationId, string pseudonym, NominativeDataErased erased)
    {
        try
        {
            await ledger.AppendAsync(council, situationId, pseudonym, erased.Cause, erased.OrderedBy, erased.At, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Erasure of {Pseudonym} committed but not written to the erasure ledger ({Error}); the next start adds it",
                pseudonym, e.GetType().Name);
        }
    }
}
